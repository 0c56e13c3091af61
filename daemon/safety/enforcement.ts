/**
 * Enforcement: the call hook that passes the payload fields of ENFORCED_FIELDS (workflow step
 * inputs too) through the live rule set before their handler stores or sends anything. Blocked
 * content is refused (-32010, audited and announced); secrets are replaced in both the params and the serialized text the
 * handlers store (ctx.json), so they are never stored, broadcast or logged; warnings are audited
 * without holding up the reply.
 */
import { ErrorCode, RpcError } from '../../protocol/errors';
import { ENFORCED_FIELDS } from '../../protocol/safety';
import type { Call, CallHook } from '../domain/call-hook';
import type { AuditTrail } from './audit';
import type { LiveRules } from './live-rules';
import { scanPayload, type PlacedFinding } from './payload-scan';

/** A field of ENFORCED_FIELDS: a top-level param, or `key` of each item of the list param `list` (`list[].key`). */
interface FieldSpec {
  list?: string;
  key: string;
}

const FIELDS: Partial<Record<string, FieldSpec[]>> = Object.fromEntries(
  Object.entries(ENFORCED_FIELDS).map(([method, names]) => [
    method,
    names.map((name: string) => {
      const nested = /^(\w+)\[\]\.(\w+)$/.exec(name);
      return nested ? { list: nested[1]!, key: nested[2]! } : { key: name };
    }),
  ]),
);

export class Enforcement implements CallHook {
  readonly name = 'safety';

  constructor(
    private readonly rules: LiveRules,
    private readonly audit: AuditTrail,
  ) {}

  check(call: Call): void | Promise<void> {
    const fields = FIELDS[call.method];
    if (fields === undefined) return;
    const agentId = agentOf(call.params);
    for (const { field, holder, key } of fieldsOf(call.params, fields)) {
      const value = holder[key];
      if (value === undefined) continue;
      // What an agent emits: rules limited to the input direction do not apply.
      const scan = scanPayload(this.rules.current, field, value, 'output', agentId);
      if (scan.level === 'blocked') return this.refuse(call, field, scan.findings, agentId);
      if (scan.redacted !== undefined) {
        holder[key] = scan.redacted;
        // a nested field is serialized by its handler from the params; a top-level one was already
        if (holder === call.params) call.ctx.json[key] = JSON.stringify(scan.redacted);
      }
      if (scan.level === 'warning') this.warned(call, field, scan.findings, agentId);
    }
  }

  /** Audits and announces the refusal (awaited: the caller may look for it once refused), then throws -32010. */
  private async refuse(call: Call, field: string, findings: PlacedFinding[], agentId?: string): Promise<void> {
    const ruleIds = [...new Set(findings.filter((f) => f.action === 'block').map((f) => f.ruleId))];
    const where = [...new Set(findings.map((f) => f.path))];
    await this.record('blocked', call, field, findings, agentId).catch(() => undefined);
    throw new RpcError(ErrorCode.BlockedBySafety, `blocked by safety policy: ${where.join(', ')} matched rule ${ruleIds.join(', ')}`, {
      field,
      rule: ruleIds[0]!,
      findings,
    });
  }

  /** Not awaited: a warning costs the reply no Redis round trip (a lost append loses only the audit line). */
  private warned(call: Call, field: string, findings: PlacedFinding[], agentId?: string): void {
    this.record('warned', call, field, findings, agentId).catch(() => undefined);
  }

  private record(kind: 'blocked' | 'warned', call: Call, field: string, findings: PlacedFinding[], agentId?: string): Promise<string> {
    const level = kind === 'blocked' ? 'blocked' : 'warning';
    const decision = { level, method: call.method, field, findings, ...(agentId === undefined ? {} : { agentId }) } as const;
    return this.audit.record(
      { kind, subject: call.method, ...(agentId === undefined ? {} : { agentId }), detail: { field, rules: [...new Set(findings.map((f) => f.ruleId))], findings } },
      { type: kind === 'blocked' ? 'safety.blocked' : 'safety.warned', data: decision, key: agentId ?? call.method },
    );
  }
}

interface Field {
  /** Its name in findings and errors: `payload`, `steps[2].input`. */
  field: string;
  holder: Record<string, unknown>;
  key: string;
}

/** Where the fields of a method's specs are in these params: the params themselves, or each list item. */
function* fieldsOf(params: Record<string, unknown>, specs: readonly FieldSpec[]): Generator<Field> {
  for (const { list, key } of specs) {
    if (list === undefined) {
      yield { field: key, holder: params, key };
      continue;
    }
    const items = params[list];
    if (!Array.isArray(items)) continue;
    for (const [i, item] of items.entries()) {
      if (item !== null && typeof item === 'object') yield { field: `${list}[${i}].${key}`, holder: item as Record<string, unknown>, key };
    }
  }
}

/** The agent a payload comes from, for rules limited to some agents and for the audit trail. */
function agentOf(params: Record<string, unknown>): string | undefined {
  for (const name of ['from', 'agentId', 'agentName']) {
    const value = params[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}
