/**
 * The tool registry (tool.register / list / deprecate) and this daemon's copy of it, which
 * policy.check reads without a round trip: loaded at start, updated by this daemon's own changes
 * at once and by every daemon's `tool.registered` / `tool.deprecated` frames, reloaded when the
 * registry version in Redis moved past it (a frame missed while the pub/sub connection was down).
 * Allowed calls mark their tool used in memory; a sweep writes the marks in one batch.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { ErrorCode, RpcError } from '../../../protocol/errors';
import type { ParamsOf } from '../../../protocol/methods';
import type { ToolSpec } from '../../../protocol/types';
import type { Deps } from '../../domain/deps';
import { redisCall } from '../../store/redis';
import { scripts } from '../../store/scripts';

/**
 * Strict: an unknown keyword (a typo such as "requird") refuses the schema instead of checking
 * nothing. Formats are annotations only (the daemon carries no format library). An instance per
 * schema, since Ajv keeps every schema's $id: a re-registered version would clash with itself.
 */
const compileArgsSchema = (schema: Record<string, unknown>): ValidateFunction =>
  new Ajv({ strict: true, strictTypes: false, validateFormats: false, allErrors: false }).compile(schema);

export type Resolved = { spec: ToolSpec } | { refusal: string };

export class ToolRegistry {
  private readonly specs = new Map<string, ToolSpec>();
  /** Each tool name's versions, newest first. */
  private readonly byName = new Map<string, ToolSpec[]>();
  /** Argument validators by ref, with the registration they were compiled for. */
  private readonly validators = new Map<string, { registeredAt: number; validate: ValidateFunction }>();
  /** Refs allowed since the last flush → when. */
  private used = new Map<string, number>();
  private version = -1;

  constructor(private readonly deps: Deps) {}

  async load(): Promise<void> {
    const [version, flat] = (await scripts.toolList.run(this.deps.redis, this.listKeys(), {})) as [number, string[], string[]];
    this.specs.clear();
    for (let i = 0; i < flat.length; i += 2) this.specs.set(flat[i]!, JSON.parse(flat[i + 1]!) as ToolSpec);
    this.index();
    this.version = version;
  }

  /** Reloads if the registry changed since this copy was loaded (one GET). */
  async refresh(): Promise<void> {
    const { redis, keys } = this.deps;
    if (Number((await redisCall(redis, () => redis.get(keys.safetyToolsVersion))) ?? 0) !== this.version) await this.load();
  }

  /** A change this daemon made or heard of. */
  apply(spec: ToolSpec): void {
    this.specs.set(`${spec.name}:${spec.version}`, spec);
    this.index();
  }

  /** The spec a tool ref stands for ("name": its newest active version), or why there is none. */
  resolve(ref: string): Resolved {
    const colon = ref.indexOf(':');
    if (colon >= 0) {
      const spec = this.specs.get(ref);
      if (!spec) return { refusal: `tool "${ref}" is not registered` };
      if (spec.status === 'deprecated') return { refusal: `tool "${ref}" is deprecated` };
      return { spec };
    }
    const versions = this.byName.get(ref);
    if (!versions) return { refusal: `tool "${ref}" is not registered` };
    const spec = versions.find((each) => each.status === 'active');
    return spec ? { spec } : { refusal: `every version of tool "${ref}" is deprecated` };
  }

  /** The first schema error in the args as "args.<path> <message>", or undefined when they fit. */
  checkArgs(spec: ToolSpec, args: Record<string, unknown>): string | undefined {
    const ref = `${spec.name}:${spec.version}`;
    let cached = this.validators.get(ref);
    if (cached?.registeredAt !== spec.registeredAt) {
      cached = { registeredAt: spec.registeredAt, validate: compileArgsSchema(spec.schema) };
      this.validators.set(ref, cached);
    }
    if (cached.validate(args)) return undefined;
    return describeArgError(cached.validate.errors![0]!);
  }

  markUsed(spec: ToolSpec, at: number): void {
    this.used.set(`${spec.name}:${spec.version}`, at);
  }

  /** Writes the last-use marks gathered since the last flush (one script call, none when idle). */
  async flushUsed(): Promise<number> {
    if (this.used.size === 0) return 0;
    const batch = this.used;
    this.used = new Map();
    await scripts.toolsTouch.run(this.deps.redis, { used: this.deps.keys.safetyToolsUsed }, {}, [...batch].flat());
    return batch.size;
  }

  async register(p: ParamsOf<'tool.register'>): Promise<ToolSpec> {
    let validate: ValidateFunction;
    try {
      validate = compileArgsSchema(p.schema);
    } catch (error) {
      throw new RpcError(ErrorCode.InvalidParams, `invalid params: schema is not a usable JSON schema: ${(error as Error).message}`, {
        field: 'schema',
        rule: 'schema',
      });
    }
    const ref = `${p.name}:${p.version}`;
    // "status" right after name and version: toolDeprecate finds it by text.
    const spec = { name: p.name, version: p.version, status: 'active', flags: p.flags, schema: p.schema, ...(p.description === undefined ? {} : { description: p.description }) };
    const { redis, keys, limits } = this.deps;
    const stored = (await scripts.toolRegister.run(
      redis,
      { tools: keys.safetyTools, version: keys.safetyToolsVersion, audit: keys.safetyAudit },
      {
        ref,
        spec: JSON.stringify(spec),
        entry: JSON.stringify({ kind: 'tool_registered', subject: ref, detail: { flags: p.flags } }),
        maxLen: limits.auditMaxEntries,
        channel: keys.channels.safety,
      },
    )) as string;
    const registered = JSON.parse(stored) as ToolSpec;
    this.validators.set(ref, { registeredAt: registered.registeredAt, validate });
    this.apply(registered);
    return registered;
  }

  async deprecate(p: ParamsOf<'tool.deprecate'>): Promise<ToolSpec> {
    const ref = `${p.name}:${p.version}`;
    const { redis, keys, limits } = this.deps;
    const stored = (await scripts.toolDeprecate.run(
      redis,
      { tools: keys.safetyTools, version: keys.safetyToolsVersion, audit: keys.safetyAudit },
      { ref, entry: JSON.stringify({ kind: 'tool_deprecated', subject: ref, detail: {} }), maxLen: limits.auditMaxEntries, channel: keys.channels.safety },
    )) as string;
    const deprecated = JSON.parse(stored) as ToolSpec;
    this.apply(deprecated);
    return deprecated;
  }

  /** Every registered version from Redis (not this copy), by name then version, with its last use. */
  async list(): Promise<ToolSpec[]> {
    const [, flat, usedFlat] = (await scripts.toolList.run(this.deps.redis, this.listKeys(), {})) as [number, string[], string[]];
    const used = new Map<string, number>();
    for (let i = 0; i < usedFlat.length; i += 2) used.set(usedFlat[i]!, Number(usedFlat[i + 1]));
    const specs: ToolSpec[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const spec = JSON.parse(flat[i + 1]!) as ToolSpec;
      const lastUsedAt = used.get(flat[i]!);
      specs.push(lastUsedAt === undefined ? spec : { ...spec, lastUsedAt });
    }
    return specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : compareVersions(a.version, b.version)));
  }

  private listKeys() {
    const { keys } = this.deps;
    return { tools: keys.safetyTools, used: keys.safetyToolsUsed, version: keys.safetyToolsVersion };
  }

  private index(): void {
    this.byName.clear();
    for (const spec of this.specs.values()) {
      const versions = this.byName.get(spec.name) ?? [];
      versions.push(spec);
      this.byName.set(spec.name, versions);
    }
    for (const versions of this.byName.values()) versions.sort((a, b) => compareVersions(b.version, a.version));
  }
}

/** Version order: parts separated by . - + _, numeric parts as numbers ("1.10.0" after "1.9.2"), pre-releases before their release. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+_-]/);
  const pb = b.split(/[.+_-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    // A word where the other version has ended is a pre-release: "1.0.0-beta" comes before "1.0.0".
    if (x === '' && Number.isNaN(ny)) return 1;
    if (y === '' && Number.isNaN(nx)) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function describeArgError(error: ErrorObject): string {
  const at = `args${error.instancePath.replaceAll('/', '.')}`;
  if (error.keyword === 'required') return `${at}.${String(error.params.missingProperty)} is required`;
  if (error.keyword === 'additionalProperties') return `${at}.${String(error.params.additionalProperty)} is not a known field`;
  return `${at} ${error.message ?? 'is invalid'}`;
}
