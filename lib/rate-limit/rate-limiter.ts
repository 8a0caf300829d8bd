// A fixed-window rate limiter kept in this process's memory, for counting failures per key (an
// account's email, a client address, an agent credential) and refusing once a key has used its
// allowance for the window.
//
// Memory is bounded: the keys live in one Map in insertion order, and a key's window starts when
// it is inserted, so the Map is also ordered by expiry. Every hit drops expired keys from the
// front, and when `maxKeys` live keys exist the one closest to expiry is evicted (its count is
// forgotten early). An attacker cycling keys therefore costs at most `maxKeys` entries; limits on
// a second key (the client address next to the email) keep one client from cycling many keys.
//
// Several instances behind a load balancer each keep their own counts: a client that reaches N
// instances gets up to N times the allowance. That is accepted: the limit exists to make guessing
// slow, not to be exact.

export type RateLimitOptions = {
  /** Length of a key's window, starting with its first hit. */
  windowMs: number;
  /** Hits allowed per key and window. */
  max: number;
  /** Most keys remembered at once (default 10,000). */
  maxKeys?: number;
  /** Clock, for tests. */
  now?: () => number;
};

export type RateLimitResult = {
  /** For `hit`: this hit was within the limit. For `check`: one more hit would be. */
  allowed: boolean;
  /** Hits left in the current window. */
  remaining: number;
  /** Seconds until the key's window ends; 0 when allowed. */
  retryAfterSeconds: number;
};

export type RateLimiter = {
  /** Counts one hit for the key. */
  hit(key: string): RateLimitResult;
  /** Whether one more hit would be allowed, without counting one. */
  check(key: string): RateLimitResult;
  /** Takes back one hit of the key's current window (an attempt that turned out fine). */
  reward(key: string): void;
  /** Forgets the key's count. */
  reset(key: string): void;
  /** Keys currently remembered (expired ones may linger until the next hit). */
  readonly size: number;
};

type Window = { count: number; resetAt: number };

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { windowMs, max, maxKeys = 10_000, now = Date.now } = options;
  if (!(windowMs > 0) || !Number.isInteger(max) || max < 1 || !Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new Error('createRateLimiter: windowMs must be positive; max and maxKeys positive integers');
  }
  const windows = new Map<string, Window>();

  function dropExpired(at: number) {
    for (const [key, window] of windows) {
      if (window.resetAt > at) break;
      windows.delete(key);
    }
  }

  function result(window: Window | undefined, at: number, allowed: boolean): RateLimitResult {
    const used = window && window.resetAt > at ? window.count : 0;
    return {
      allowed,
      remaining: Math.max(0, max - used),
      retryAfterSeconds: allowed || !window ? 0 : Math.max(1, Math.ceil((window.resetAt - at) / 1000)),
    };
  }

  return {
    hit(key) {
      const at = now();
      dropExpired(at);
      let window = windows.get(key);
      if (window) {
        window.count += 1;
      } else {
        if (windows.size >= maxKeys) {
          const oldest = windows.keys().next().value;
          if (oldest !== undefined) windows.delete(oldest);
        }
        window = { count: 1, resetAt: at + windowMs };
        windows.set(key, window);
      }
      return result(window, at, window.count <= max);
    },
    check(key) {
      const at = now();
      const window = windows.get(key);
      const live = window && window.resetAt > at ? window : undefined;
      return result(live, at, !live || live.count < max);
    },
    reward(key) {
      const window = windows.get(key);
      if (window && window.count > 0) window.count -= 1;
    },
    reset(key) {
      windows.delete(key);
    },
    get size() {
      return windows.size;
    },
  };
}
