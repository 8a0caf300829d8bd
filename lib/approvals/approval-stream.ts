// Server-sent events for the dashboard: a browser's live inbox and navigation badge hear about
// approval changes in the user's rooms (from any instance) without reloading or polling.
import { subscribe } from '../events/event-bus';
import { memberRoomIds } from './list-approvals';

const encoder = new TextEncoder();
const KEEP_ALIVE_MS = 20_000;

export function approvalEventStream(userId: string, signal: AbortSignal): ReadableStream<Uint8Array> {
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      let rooms = new Set(await memberRoomIds(userId));
      const unsubscribe = await subscribe((event) => {
        if (event.type !== 'approval.changed') return;
        const deliver = () => {
          if (rooms.has(event.roomId)) {
            send(`event: approval\ndata: ${JSON.stringify({ id: event.approvalId, status: event.status })}\n\n`);
          }
        };
        if (rooms.has(event.roomId)) return deliver();
        // A room joined since the stream opened: look again before dropping the event.
        void memberRoomIds(userId).then((ids) => {
          rooms = new Set(ids);
          deliver();
        });
      });
      const keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
      cleanup = () => {
        clearInterval(keepAlive);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener('abort', () => cleanup(), { once: true });
      // Subscribed from here on: the page catches up on what changed since it was rendered.
      send('event: ready\ndata: {}\n\n');
    },
    cancel() {
      cleanup();
    },
  });
}
