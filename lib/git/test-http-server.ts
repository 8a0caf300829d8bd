// Test-only: a git server over HTTP that asks for a user name and password (Basic auth), serving the bare
// repositories under one directory through git's own `git http-backend` (CGI). For tests of
// repository credentials: the accepted password can be changed, as a hosting service's token
// rotation would.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';

export type GitHttpServer = {
  /** The URL of the repository `name` (a directory under the root). */
  url: (name: string) => string;
  /** From now on, only this user name and password are accepted. */
  setCredentials: (username: string, password: string) => void;
  close: () => Promise<void>;
};

export async function startGitHttpServer(root: string, username: string, password: string): Promise<GitHttpServer> {
  let expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  function handle(request: IncomingMessage, response: ServerResponse) {
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      response.end('authentication required');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://git.test');
    const user = Buffer.from(expected.slice(6), 'base64').toString().split(':')[0]!;
    const cgi = spawn('git', ['http-backend'], {
      env: {
        NODE_ENV: process.env.NODE_ENV,
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: request.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        REMOTE_USER: user,
        REMOTE_ADDR: '127.0.0.1',
        // git http-backend accepts pushes only from authenticated users
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.receivepack',
        GIT_CONFIG_VALUE_0: 'true',
        ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] } : {}),
      },
    });
    request.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersSent = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else response.setHeader(name, value);
      }
      response.statusCode = status;
      headersSent = true;
      response.write(head.subarray(end + 4));
    });
    cgi.on('close', () => response.end());
    cgi.on('error', () => {
      if (!headersSent) response.writeHead(500);
      response.end();
    });
  }

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (name) => `http://127.0.0.1:${port}/${path.posix.normalize(name)}`,
    setCredentials: (user, pass) => {
      expected = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
