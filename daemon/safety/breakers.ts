/**
 * Circuit breakers per agent (`agent:<name>`) and per tool (`tool:<actionType>`), fed by
 * outcome.record and kept in Redis so that every daemon on it agrees (docs/safety.md "Circuit breakers and budgets").
 * The outcomes of one event-loop turn move their breakers in one script call; opening and closing
 * are then audited and announced together (turning half-open, time passing, is announced by the script).
 */
import type { BREAKER_DEFAULTS } from '../../protocol/safety';
import type { Breaker } from '../../protocol/types';
import type { Deps } from '../domain/deps';
import { SWEEP_BATCH } from '../domain/module';
import { scripts } from '../store/scripts';
import type { AuditTrail } from './audit';
import { FeedBatch } from './feed-batch';
import type { PolicyGate } from './policy-gate';

export type BreakerSettings = { -readonly [K in keyof typeof BREAKER_DEFAULTS]: number };

/** Outcomes per script call at most (each feeds two breakers). */
const PER_BATCH = 256;

/** Why a gate refused: the breaker and when to try again. */
export interface BreakerRefusal {
  name: string;
  state: 'open' | 'half_open';
  retryAfterMs: number;
}

export class Breakers {
  readonly batch: FeedBatch;

  /**
   * @param settings read at every script call, so a policy change applies to the next one
   * @param clock epoch ms for tests; absent, the scripts use the Redis server's clock
   */
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly settings: () => BreakerSettings,
    private readonly clock?: () => number,
  ) {
    this.batch = new FeedBatch(
      (values) => scripts.breakersRecord.run(deps.redis, this.keys(), this.args(), values),
      (changes) => this.announce(changes),
      PER_BATCH,
    );
  }

  /** Counts one outcome for its agent's and its tool's breakers; never waits, never throws. */
  feed(agentName: string, actionType: string, isError: boolean): void {
    const error = isError ? '1' : '0';
    this.batch.add([`agent:${agentName}`, error, `tool:${actionType}`, error]);
  }

  /** Null when every named breaker lets the call through (taking a half-open trial slot), else why not. */
  async gate(names: string[]): Promise<BreakerRefusal | null> {
    this.batch.flush(); // outcomes fed before this call count first
    const reply = (await scripts.breakerGate.run(this.deps.redis, this.keys(), this.args(), names)) as string[];
    if (reply.length === 0) return null;
    const [name, state, retryAt, now] = reply as [string, BreakerRefusal['state'], string, string];
    return { name, state, retryAfterMs: Math.max(0, Number(retryAt) - Number(now)) };
  }

  async list(): Promise<Breaker[]> {
    this.batch.flush();
    const json = (await scripts.breakersList.run(this.deps.redis, this.keys(), this.args())) as string[];
    return json.map((text) => JSON.parse(text) as Breaker);
  }

  /** Closes the breaker and clears it; audited with who asked. */
  async reset(name: string, by: string): Promise<Breaker> {
    this.batch.flush();
    const { redis, keys } = this.deps;
    const [json, was] = (await scripts.breakerReset.run(redis, this.keys(), { prefix: keys.breakerPrefix, name })) as [string, string];
    const breaker = JSON.parse(json) as Breaker;
    const event = was === 'closed' ? undefined : { type: 'breaker.closed' as const, data: breaker, key: name };
    await this.audit.record({ kind: 'breaker_closed', subject: name, detail: { reason: 'reset', by, was } }, event);
    return breaker;
  }

  /** One sweep step: open breakers past their cool-down turn half-open (and say so). */
  sweep(): Promise<unknown> {
    return scripts.breakersSweep.run(this.deps.redis, this.keys(), { ...this.args(), batch: SWEEP_BATCH });
  }

  private keys() {
    return { seen: this.deps.keys.breakersSeen, open: this.deps.keys.breakersOpen };
  }

  private args() {
    const s = this.settings();
    return {
      prefix: this.deps.keys.breakerPrefix,
      channel: this.deps.keys.channels.safety,
      now: this.clock?.() ?? '',
      consecutiveFailures: s.consecutiveFailures,
      errorRatePercent: s.errorRatePercent,
      windowMs: s.windowSeconds * 1000,
      minCalls: s.minCalls,
      coolDownMs: s.coolDownSeconds * 1000,
      halfOpenTrials: s.halfOpenTrials,
    };
  }

  /** Audits and announces opening and closing, in order (one connection, sent at once). */
  private announce(changes: string[]): Promise<unknown> {
    const recorded: Promise<string>[] = [];
    for (let i = 0; i < changes.length; i += 2) {
      const type = changes[i] as 'breaker.opened' | 'breaker.closed' | 'breaker.half_open';
      if (type === 'breaker.half_open') continue; // time passing, not a decision: the script announced it
      const breaker = JSON.parse(changes[i + 1]!) as Breaker;
      const opened = type === 'breaker.opened';
      const detail = opened ? { failures: breaker.failures, retryAt: breaker.retryAt } : { reason: 'trials' };
      recorded.push(this.audit.record({ kind: opened ? 'breaker_opened' : 'breaker_closed', subject: breaker.name, detail }, { type, data: breaker, key: breaker.name }));
    }
    return Promise.all(recorded);
  }
}

/**
 * policy.check's breaker gate: a call whose agent or tool breaker is open is refused (retryAfterMs:
 * until it turns half-open); a half-open one lets its trial calls through and refuses the rest.
 * GateCall.agentId is the agent's name (what outcomes carry as agentName).
 */
export function breakerGate(breakers: Breakers): PolicyGate {
  return async (call) => {
    const refused = await breakers.gate([`agent:${call.agentId}`, `tool:${call.tool}`]);
    if (!refused) return null;
    const reason =
      refused.state === 'open'
        ? `breaker ${refused.name} is open: try again in ${Math.ceil(refused.retryAfterMs / 1000)} s`
        : `breaker ${refused.name} is half-open and its trial calls are taken`;
    return { allowed: false, requiresApproval: false, reason, rule: 'breaker', retryAfterMs: refused.retryAfterMs };
  };
}
