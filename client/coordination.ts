/**
 * Helpers over the coordination primitives (docs/coordination.md): run a function while holding a
 * lock or a semaphore permit, renewed in the background, released after — and told through an
 * AbortSignal when the lease is lost, since a renewal can fail (the process paused past its ttl,
 * the daemon unreachable) while the function still runs.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ErrorCode, RpcError } from '../protocol/errors';
import type { Lock, Permit } from '../protocol/types';
import type { SwitchboardClient } from './client';

export interface LeaseOptions {
  /** How long each grant and renewal lasts; default 30 000 ms. */
  ttlMs?: number;
  /** How long to wait for the lock or a permit; default 10 000 ms. */
  waitMs?: number;
  /** Who holds it; default "<host>:<pid>:<random>". */
  owner?: string;
  /** How often to renew; default a third of ttlMs, so that two renewals may fail before the lease ends. */
  renewEveryMs?: number;
}

export interface LockContext {
  lock: Lock;
  /** Pass it to every resource the lock guards, which must refuse a token lower than one it has seen. */
  fencingToken: number;
  /** Aborted (with a LeaseLostError) when the lease is lost: stop touching the resource. */
  signal: AbortSignal;
}

export interface PermitContext {
  permit: Permit;
  signal: AbortSignal;
}

/** The lock or permit was not granted within waitMs. */
export class NotAcquiredError extends Error {
  constructor(readonly resource: string) {
    super(`"${resource}" was not acquired in time`);
    this.name = 'NotAcquiredError';
  }
}

/** The lease ended while the function ran (a renewal was refused, or none succeeded before it ran out). */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

const DEFAULT_TTL_MS = 30_000;
const DEFAULT_WAIT_MS = 10_000;

/** Runs fn while holding the lock `name`; rejects with NotAcquiredError, LeaseLostError, or fn's own error. */
export async function withLock<T>(client: SwitchboardClient, name: string, fn: (ctx: LockContext) => Promise<T>, options: LeaseOptions = {}): Promise<T> {
  const { ttlMs, waitMs, owner } = settle(options);
  const lock = await client.locks.acquire({ name, owner, ttlMs, waitMs });
  if (!lock) throw new NotAcquiredError(name);
  const { fencingToken } = lock;
  return holdLease(
    async () => (await client.locks.renew({ name, owner, fencingToken, ttlMs })).expiresAt,
    () => client.locks.release({ name, owner, fencingToken }),
    { ...options, ttlMs },
    (signal) => fn({ lock, fencingToken, signal }),
  );
}

/** Runs fn while holding one of `limit` permits of the semaphore `name`. */
export async function withPermit<T>(
  client: SwitchboardClient,
  name: string,
  limit: number,
  fn: (ctx: PermitContext) => Promise<T>,
  options: LeaseOptions = {},
): Promise<T> {
  const { ttlMs, waitMs, owner } = settle(options);
  const permit = await client.semaphores.acquire({ name, owner, limit, ttlMs, waitMs });
  if (!permit) throw new NotAcquiredError(name);
  const { permitId } = permit;
  return holdLease(
    async () => (await client.semaphores.renew({ name, permitId, ttlMs })).expiresAt,
    () => client.semaphores.release({ name, permitId }),
    { ...options, ttlMs },
    (signal) => fn({ permit, signal }),
  );
}

function settle(options: LeaseOptions) {
  return {
    ttlMs: options.ttlMs ?? DEFAULT_TTL_MS,
    waitMs: options.waitMs ?? DEFAULT_WAIT_MS,
    owner: options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  };
}

/** Renews until fn settles (aborting its signal if the lease is lost), then releases. */
async function holdLease<T>(
  renew: () => Promise<number>,
  release: () => Promise<unknown>,
  options: LeaseOptions & { ttlMs: number },
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const lost = new AbortController();
  // The daemon's clock stamps expiresAt; counting the ttl on this clock from when the call was sent errs on the early side.
  let endsAt = performance.now() + options.ttlMs;
  const lose = (why: string) => {
    if (!lost.signal.aborted) lost.abort(new LeaseLostError(why));
  };
  let renewing = false;
  const timer = setInterval(() => {
    if (performance.now() >= endsAt) return lose('the lease ran out before a renewal succeeded');
    if (renewing) return;
    renewing = true;
    const sentAt = performance.now();
    renew()
      .then(() => (endsAt = sentAt + options.ttlMs))
      .catch((error: unknown) => {
        if (error instanceof RpcError && error.code === ErrorCode.Conflict) lose(error.message);
        // anything else (a dropped connection): the next tick tries again while the lease lasts
      })
      .finally(() => (renewing = false));
  }, options.renewEveryMs ?? options.ttlMs / 3);
  try {
    const result = await fn(lost.signal);
    if (lost.signal.aborted) throw lost.signal.reason as Error;
    return result;
  } finally {
    clearInterval(timer);
    // A release that fails (the daemon unreachable) leaves the lease to run out by itself.
    if (!lost.signal.aborted) await release().catch(() => {});
  }
}
