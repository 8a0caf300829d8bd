// Runs session work outside the HTTP request that happens to start it. Node's AsyncLocalStorage
// hands the stores of the current context (Next.js keeps a request's whole state there) to every
// promise and timer created in it: a session's keep-alive timer or pending promises, created while
// handling the GET that opened the stream or the last POST that carried a message, would keep that
// request's state alive as long as the session lives (tens of KiB per idle session). Work started
// through `outsideRequest` belongs to the context captured at start-up instead, outside any request.
import { AsyncResource } from 'node:async_hooks';

type Runner = <T>(fn: () => T) => T;
const state = globalThis as unknown as { aegisOutsideRequest?: Runner };

/** Captures the current context as "outside any request": call once at start-up (instrumentation.ts). */
export function captureStartupContext(): void {
  state.aegisOutsideRequest ??= AsyncResource.bind(<T>(fn: () => T): T => fn()) as Runner;
}

/** Runs `fn` (and everything it starts) in the start-up context, if one was captured. */
export function outsideRequest<T>(fn: () => T): T {
  return state.aegisOutsideRequest ? state.aegisOutsideRequest(fn) : fn();
}
