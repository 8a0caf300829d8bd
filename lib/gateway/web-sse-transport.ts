// The MCP HTTP+SSE transport (protocol 2024-11-05) over Web streams, for a Next.js route handler:
// the GET response is the event stream, whose first event names the endpoint that the client POSTs
// its messages to: the session id plus a per-session key that is sent nowhere else, so only the
// agent holding the stream can speak for the session. Comments keep idle connections open through
// proxies.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage, type MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

const encoder = new TextEncoder();

export class WebSseServerTransport implements Transport {
  readonly sessionId: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  readonly stream: ReadableStream<Uint8Array>;
  private controller?: ReadableStreamDefaultController<Uint8Array>;
  private keepAlive?: ReturnType<typeof setInterval>;
  private closed = false;

  constructor(options: { sessionId: string; messageKey: string; endpoint: string; keepAliveMs?: number }) {
    this.sessionId = options.sessionId;
    const query = new URLSearchParams({ sessionId: options.sessionId, key: options.messageKey });
    const endpoint = `${options.endpoint}?${query}`;
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
        controller.enqueue(encoder.encode(`event: endpoint\ndata: ${endpoint}\n\n`));
      },
      cancel: () => this.finish(),
    });
    this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), options.keepAliveMs ?? 20_000);
    this.keepAlive.unref?.();
  }

  async start(): Promise<void> {}

  get isClosed(): boolean {
    return this.closed;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error('Not connected');
    this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  /** A client message that arrived by POST; throws when it is not JSON-RPC. */
  receive(body: unknown, extra?: MessageExtraInfo): void {
    const message = JSONRPCMessageSchema.parse(body);
    this.onmessage?.(message, extra);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.controller?.close();
    } catch {
      // already closed by the client
    }
    this.finish();
  }

  private write(chunk: string) {
    if (this.closed) return;
    try {
      this.controller?.enqueue(encoder.encode(chunk));
    } catch {
      this.finish();
    }
  }

  private finish() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    this.onclose?.();
  }
}
