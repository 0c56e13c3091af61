/**
 * The live rule set. Stored once in Redis (keys.safetyRules; no key = version 0, the built-in
 * set) and kept compiled in memory by every daemon, so validating costs no Redis round trip. A
 * daemon reloads when the rules.changed frame arrives and also compares the version on a sweep,
 * so one that missed the frame (its subscriber reconnected) still converges within the 1 s SPEC
 * "Safety" promises.
 */
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { RuleSet, SafetyRule } from '../../protocol/types';
import type { Deps } from '../domain/deps';
import type { Frame } from '../hub/frame';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import { DEFAULT_RULES } from './validator/default-rules';
import { compileRules, RuleSetError, type CompiledRuleSet } from './validator/validator';

/** How often the sweep compares the stored version with the one in memory. */
export const RULES_CHECK_MS = 400;

export class LiveRules {
  private set: CompiledRuleSet = compileRules(DEFAULT_RULES, 0);
  private loading?: Promise<void>;
  private stale = false;
  private checkedAt = 0;

  constructor(private readonly deps: Deps) {}

  /** The compiled set validation uses now. */
  get current(): CompiledRuleSet {
    return this.set;
  }

  /** The stored set, as safety.rules.get answers it. */
  async read(): Promise<RuleSet> {
    const { redis, keys } = this.deps;
    const [version, json, at, by] = await redisCall(redis, () => redis.hmget(keys.safetyRules, 'version', 'json', 'at', 'by'));
    if (version == null || json == null) return { version: 0, rules: [...DEFAULT_RULES] };
    const set: RuleSet = { version: Number(version), rules: JSON.parse(json) as SafetyRule[], updatedAt: Number(at) };
    if (by) set.updatedBy = by;
    return set;
  }

  /**
   * Compiles the set (a bad rule refuses it whole: -32602 naming the rule), then stores it if the
   * live version is still `expectedVersion` (else -32003 with the live version). Resolves to the
   * new version, already live on this daemon.
   */
  async replace(rules: SafetyRule[], expectedVersion: number, by?: string): Promise<number> {
    const compiled = compileOrRefuse(rules, expectedVersion + 1);
    const { redis, keys, limits } = this.deps;
    const [stored, version] = (await scripts.safetyRulesSet.run(
      redis,
      { rules: keys.safetyRules, audit: keys.safetyAudit },
      {
        expectedVersion,
        json: JSON.stringify(rules),
        by: by ?? '',
        maxLen: limits.auditMaxEntries,
        channel: keys.channels.safety,
        count: rules.length,
      },
    )) as [number, number];
    if (stored !== 1) {
      throw new RpcError(
        ErrorCode.Conflict,
        `the live rule set is version ${version}, not ${expectedVersion}: read it again (safety.rules.get) and retry`,
        { expectedVersion, version },
      );
    }
    if (version > this.set.version) this.set = compiled;
    return version;
  }

  /** Brings the in-memory set to the stored version; a call while a load runs makes it look once more. */
  sync(): Promise<void> {
    this.stale = true;
    return (this.loading ??= this.loadWhileStale().finally(() => (this.loading = undefined)));
  }

  /** The hub's frame on the safety channel: a rules.changed for another version reloads. */
  onFrame(frame: Frame): void {
    if (frame.type === 'rules.changed' && Number(frame.key) !== this.set.version) this.syncQuietly();
  }

  /** A sweep step: compares versions at most every RULES_CHECK_MS. */
  async sweep(now = performance.now()): Promise<number> {
    if (now - this.checkedAt < RULES_CHECK_MS) return 0;
    this.checkedAt = now;
    await this.sync();
    return 0;
  }

  /** For the frame path, which has nobody to report to: a failed load is retried (and logged) by the sweep. */
  syncQuietly(): void {
    this.sync().catch(() => (this.checkedAt = 0));
  }

  private async loadWhileStale(): Promise<void> {
    while (this.stale) {
      this.stale = false;
      const { redis, keys } = this.deps;
      const version = Number((await redisCall(redis, () => redis.hget(keys.safetyRules, 'version'))) ?? 0);
      if (version === this.set.version) continue;
      const stored = await this.read();
      // A set stored by another daemon's validator that this one cannot compile keeps the old set live; the sweep reports it.
      this.set = compileRules(stored.rules, stored.version);
    }
  }
}

/** Compiles a rule set or throws the -32602 that names its first bad rule. */
export function compileOrRefuse(rules: readonly SafetyRule[], version: number): CompiledRuleSet {
  try {
    return compileRules(rules, version);
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    const id = rules[error.index]?.id ?? '?';
    throw new RpcError(ErrorCode.InvalidParams, `invalid params: rule "${id}" (rules[${error.index}].${error.field}) is refused: ${error.reason}; the set was not changed`, {
      field: `rules[${error.index}].${error.field}`,
      rule: reasonKind(error),
      ruleId: id,
    });
  }
}

/** The kind of a refusal, for data.rule: the validator's own when it names one. */
function reasonKind(error: RuleSetError): string {
  const kind = (error as RuleSetError & { kind?: unknown }).kind;
  if (typeof kind === 'string') return kind;
  return error.field === 'id' ? 'unique' : error.field;
}
