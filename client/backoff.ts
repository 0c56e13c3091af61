/** Capped exponential backoff with "equal jitter": half the ceiling fixed, half random, so a fleet of clients spreads out but none retries in a tight loop. */
export interface BackoffOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export function backoffDelay(attempt: number, { initialDelayMs = 100, maxDelayMs = 5_000 }: BackoffOptions = {}, random = Math.random): number {
  const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
