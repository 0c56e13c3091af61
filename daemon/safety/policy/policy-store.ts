/**
 * The tool policy: policy.get / policy.set, and this daemon's compiled copy that policy.check
 * reads without a round trip. A `policy.changed` frame (any daemon's policy.set) reloads it; a
 * version check each second catches a frame missed while the pub/sub connection was down.
 */
import { ErrorCode, RpcError } from '../../../protocol/errors';
import type { ParamsOf } from '../../../protocol/methods';
import type { PolicyDocument, SafetyPolicy } from '../../../protocol/types';
import type { Deps } from '../../domain/deps';
import { redisCall } from '../../store/redis';
import { scripts } from '../../store/scripts';
import { compilePolicy, DEFAULT_POLICY, PolicyError, type CompiledPolicy } from './compile-policy';

export class PolicyStore {
  private compiled: CompiledPolicy = compilePolicy(DEFAULT_POLICY, 0);
  /** The reload under way, so that frames arriving together cost one read. */
  private loading?: Promise<void>;

  constructor(private readonly deps: Deps) {}

  get live(): CompiledPolicy {
    return this.compiled;
  }

  async get(): Promise<PolicyDocument> {
    const { redis, keys } = this.deps;
    const [version, json, at, by] = await redisCall(redis, () => redis.hmget(keys.safetyPolicy, 'version', 'json', 'at', 'by'));
    if (!version || !json) return { version: 0, policy: DEFAULT_POLICY };
    return { version: Number(version), policy: JSON.parse(json) as SafetyPolicy, updatedAt: Number(at), ...(by ? { updatedBy: by } : {}) };
  }

  async set(p: ParamsOf<'policy.set'>): Promise<{ version: number }> {
    try {
      compilePolicy(p.policy, 0);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      throw new RpcError(ErrorCode.InvalidParams, `invalid params: ${error.message}`, { field: error.path, rule: error.rule });
    }
    const { redis, keys, limits } = this.deps;
    const [stored, version] = (await scripts.policySet.run(
      redis,
      { policy: keys.safetyPolicy, audit: keys.safetyAudit },
      { expectedVersion: p.expectedVersion, json: JSON.stringify(p.policy), by: p.by ?? '', maxLen: limits.auditMaxEntries, channel: keys.channels.safety },
    )) as [number, number];
    if (stored === 0) {
      throw new RpcError(ErrorCode.Conflict, `the live policy is version ${version}, not ${p.expectedVersion}`, { expectedVersion: p.expectedVersion, version });
    }
    this.compiled = compilePolicy(p.policy, version);
    return { version };
  }

  /** Reloads the policy from Redis (a frame said it changed). */
  reload(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Reloads if Redis holds another version than this copy (one HGET). */
  async refresh(): Promise<void> {
    const { redis, keys } = this.deps;
    const version = Number((await redisCall(redis, () => redis.hget(keys.safetyPolicy, 'version'))) ?? 0);
    if (version !== this.compiled.version) await this.reload();
  }

  private async load(): Promise<void> {
    const doc = await this.get();
    // A newer version may have been set here while the read was in flight.
    if (doc.version < this.compiled.version && doc.version !== 0) return;
    try {
      this.compiled = compilePolicy(doc.policy, doc.version);
    } catch (error) {
      // Stored before a stricter daemon refused one of its fields: closed, not open, until replaced.
      if (!(error instanceof PolicyError)) throw error;
      this.compiled = { version: doc.version, entries: [], unusable: `the stored policy version ${doc.version} cannot be used (${error.message})` };
    }
  }
}
