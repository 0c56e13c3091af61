/**
 * A domain module is one folder (daemon/agents/, daemon/signals/…) exporting one DomainModule.
 * The daemon is assembled from the list in daemon/modules.ts: the RPC handlers, the pub/sub
 * channels the hub listens to and what each wakes, the periodic sweeps and the /metrics gauges all
 * come from the modules, so a new domain is a new folder plus one line in that list. The params
 * schemas of its methods live in protocol/schemas.ts, which the SDK shares.
 */
import type { Channel } from '../hub/hub';
import type { CallHook } from './call-hook';
import type { Handlers } from './context';
import type { Deps } from './deps';

/** One step of a periodic sweep: returns how many items it handled; the sweeper calls it again while that is SWEEP_BATCH. */
export type Sweep = () => Promise<unknown>;

/** A /metrics gauge read from Redis at scrape time. */
export interface DomainGauge {
  name: string;
  help: string;
  read(): Promise<number>;
}

/** What a module gives one daemon. */
export interface DomainParts {
  handlers: Partial<Handlers>;
  channels?: Channel[];
  sweeps?: Sweep[];
  gauges?: DomainGauge[];
  /** Run on every call, in module order, after the daemon's own (the connection rate limit). */
  hooks?: CallHook[];
  /** Awaited before the daemon listens (load state it must have before the first call); a throw stops the start. */
  start?(): Promise<void>;
}

export interface DomainModule {
  name: string;
  create(deps: Deps): DomainParts;
}

/** Items one sweep step handles at most. */
export const SWEEP_BATCH = 500;

export type { Channel };
