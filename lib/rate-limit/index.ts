// Rate limiting: a small in-memory limiter (per instance) for counting failures per key.
export { createRateLimiter, type RateLimiter, type RateLimitOptions, type RateLimitResult } from './rate-limiter';
export { clientAddress } from './client-address';
