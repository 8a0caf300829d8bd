// One long-lived `git cat-file --batch-command` process per mirror, so that reading objects
// (commits, trees, blobs) costs a line on a pipe instead of a git child process per read.
// Requests are answered in the order they were written (git's protocol), so they are pipelined
// through one FIFO. The process runs with the same isolation as every other git process
// (run-git.ts: no HOME, no config or credential helpers, forced settings); it never talks to a
// remote. When it dies or stops answering, the requests in flight fail and the next request
// starts a new process; an idle one exits after a while so that idle rooms hold no process.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { gitArgs, gitEnv, GitCommandError } from './run-git';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export interface GitObject {
  oid: string;
  type: ObjectType;
  size: number;
  /** The content (for `contents` requests); absent for `info`. */
  content?: Buffer;
}

interface Pending {
  command: string;
  withContent: boolean;
  /** Most bytes of content accepted; larger objects fail (their bytes are read and dropped). */
  maxBytes: number;
  resolve: (object: GitObject | null) => void;
  reject: (error: Error) => void;
}

interface Reply {
  header: { oid: string; type: ObjectType; size: number } | null;
  chunks: Buffer[];
  received: number;
  tooLarge: boolean;
}

export interface ObjectReaderOptions {
  gitDir: string;
  /** A request unanswered for this long kills the process (ms). */
  timeoutMs: number;
  /** The process exits after this long without requests (ms). */
  idleMs?: number;
}

const DEFAULT_IDLE_MS = 60_000;

export class ObjectReader {
  private child: ChildProcessWithoutNullStreams | null = null;
  private queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private reply: Reply | null = null;
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private lastProgress = 0;

  constructor(private readonly options: ObjectReaderOptions) {}

  /** The running process's id, or null (for diagnostics and tests). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /**
   * An object's type, size and content, or null when it does not exist. `name` is anything
   * `git rev-parse` understands; callers pass object ids or `<id>^{commit}` only.
   */
  read(name: string, maxBytes = Infinity): Promise<GitObject | null> {
    return this.ask(`contents ${name}`, true, maxBytes);
  }

  /** An object's type and size (no content), or null when it does not exist. */
  info(name: string): Promise<GitObject | null> {
    return this.ask(`info ${name}`, false, 0);
  }

  /**
   * A request, asked once more of a new process when the one it went to died (reads are
   * idempotent; the death may not have been noticed when it was written). A second death, a
   * timeout or a failure to start is the caller's error.
   */
  private async ask(command: string, withContent: boolean, maxBytes: number): Promise<GitObject | null> {
    try {
      return await this.request(command, withContent, maxBytes);
    } catch (error) {
      if (!(error instanceof ProcessEndedError)) throw error;
      return this.request(command, withContent, maxBytes);
    }
  }

  /** Stops the process (requests in flight fail); the next request starts a new one. */
  close(): void {
    this.stop(new Error('the object reader was closed'));
  }

  private request(command: string, withContent: boolean, maxBytes: number): Promise<GitObject | null> {
    if (/[\n\0]/.test(command)) return Promise.reject(new TypeError('object names cannot contain newlines'));
    return new Promise((resolve, reject) => {
      let child: ChildProcessWithoutNullStreams;
      try {
        child = this.child ?? this.start();
      } catch (error) {
        reject(error as Error);
        return;
      }
      if (this.queue.length === 0) this.lastProgress = Date.now();
      this.queue.push({ command, withContent, maxBytes, resolve, reject });
      child.stdin.write(`${command}\n`);
      this.armTimer();
    });
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn('git', gitArgs(['cat-file', '--batch-command'], { gitDir: this.options.gitDir }), {
      cwd: this.options.gitDir,
      env: gitEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child = child;
    this.buffer = Buffer.alloc(0);
    this.reply = null;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child === child) this.onData(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {}); // reported through 'exit'
    const onEnd = (reason: string) => {
      if (this.child !== child) return;
      this.stop(
        new ProcessEndedError({
          command: 'cat-file',
          exitCode: child.exitCode,
          stderr,
          stdout: Buffer.alloc(0),
          timedOut: false,
          reason: `${reason}${stderr ? `: ${stderr.trim().split('\n')[0].slice(0, 200)}` : ''}`,
        }),
      );
    };
    child.on('error', (error) => onEnd(`could not run: ${error.message}`));
    child.on('exit', (code, signal) => onEnd(`exited (${signal ?? `code ${code}`})`));
    // An idle reader must not keep the process alive on its own.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr])
      (stream as unknown as { unref?: () => void }).unref?.();
    return child;
  }

  private stop(error: Error): void {
    const child = this.child;
    this.child = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.timer = this.idleTimer = null;
    const failed = this.queue;
    this.queue = [];
    this.reply = null;
    this.buffer = Buffer.alloc(0);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const pending of failed) pending.reject(error);
  }

  /** One timer for the oldest request; an idle timer once nothing is pending. */
  private armTimer(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.queue.length === 0) return;
      if (Date.now() - this.lastProgress >= this.options.timeoutMs) {
        this.stop(
          new GitCommandError({
            command: 'cat-file',
            exitCode: null,
            stderr: '',
            stdout: Buffer.alloc(0),
            timedOut: true,
            reason: `timed out after ${this.options.timeoutMs} ms`,
          }),
        );
      } else this.armTimer();
    }, this.options.timeoutMs);
    this.timer.unref();
  }

  private settled(): void {
    this.lastProgress = Date.now();
    if (this.queue.length > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    this.idleTimer = setTimeout(() => {
      if (this.child === child && this.queue.length === 0) this.close();
    }, this.options.idleMs ?? DEFAULT_IDLE_MS);
    this.idleTimer.unref();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      while (this.step());
    } catch (error) {
      this.stop(error as Error);
    }
  }

  /** Consumes what it can of the buffer; true while progress is made. */
  private step(): boolean {
    const pending = this.queue[0];
    if (!pending) {
      if (this.buffer.length > 0) throw new Error('git cat-file wrote output nobody asked for');
      return false;
    }
    if (!this.reply) {
      const newline = this.buffer.indexOf(0x0a);
      if (newline === -1) return false;
      const line = this.buffer.subarray(0, newline).toString('utf8');
      this.buffer = this.buffer.subarray(newline + 1);
      const match = /^([0-9a-f]{40,64}) (blob|tree|commit|tag) (\d+)$/.exec(line);
      if (!match) {
        if (/ (missing|ambiguous)$/.test(line)) {
          this.queue.shift();
          pending.resolve(null);
          this.settled();
          return true;
        }
        throw new Error(`git cat-file answered unexpectedly: ${line.slice(0, 200)}`);
      }
      const header = { oid: match[1], type: match[2] as ObjectType, size: Number(match[3]) };
      if (!pending.withContent) {
        this.queue.shift();
        pending.resolve(header);
        this.settled();
        return true;
      }
      this.reply = { header, chunks: [], received: 0, tooLarge: header.size > pending.maxBytes };
    }
    const reply = this.reply;
    const wanted = reply.header!.size + 1 - reply.received; // the content, then a newline
    const take = Math.min(wanted, this.buffer.length);
    if (take === 0) return false;
    if (!reply.tooLarge) reply.chunks.push(this.buffer.subarray(0, take));
    reply.received += take;
    this.buffer = this.buffer.subarray(take);
    if (take < wanted) return false;
    this.reply = null;
    this.queue.shift();
    const { header } = reply;
    if (reply.tooLarge) {
      pending.reject(new ObjectTooLargeError(header!.oid, header!.size, pending.maxBytes));
    } else {
      const content = Buffer.concat(reply.chunks).subarray(0, header!.size);
      pending.resolve({ ...header!, content });
    }
    this.settled();
    return true;
  }
}

/** The reader's process exited or could not start while a request was waiting for it. */
class ProcessEndedError extends GitCommandError {}

/** An object over the size a caller accepts (its content was not kept). */
export class ObjectTooLargeError extends Error {
  constructor(
    readonly oid: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`object ${oid} is ${size} bytes, over the limit of ${maxBytes}`);
    this.name = 'ObjectTooLargeError';
  }
}
