/**
 * Renders docs/protocol.md from the param schemas (protocol/schemas.ts), so the doc cannot drift
 * from what the daemon validates. `npm run docs:protocol` rewrites it; a test checks it is current.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ErrorCode } from '../protocol/errors';
import { EVENT_STREAM_MAXLEN, ID_PATTERN, LIMITS, MAX_FRAME_BYTES, MAX_PAGE_LIMIT, MAX_TIMEOUT_MS } from '../protocol/limits';
import { schemas, type MethodName } from '../protocol/schemas';
import { PROTOCOL_VERSION } from '../protocol/version';

interface JsonSchema {
  type?: string;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  patternProperties?: Record<string, JsonSchema>;
}

const METHODS: Record<MethodName, { result: string; doc: string }> = {
  hello: {
    result: '`{daemonVersion, protocolVersion, daemonId, limits}`',
    doc: 'Optional first call on a connection; a different major version is -32009. `limits` are the values of the table under Limits.',
  },
  'agent.start': { result: 'AgentStatus', doc: 'Registers an agent (or registers it again from scratch); status `starting`.' },
  'agent.beat': { result: 'AgentStatus', doc: 'Heartbeat: pushes the deadline out by the ttl. Unknown agent -32002; stopped agent -32003; an expired agent is revived.' },
  'agent.stop': { result: 'AgentStatus', doc: 'Ends the agent with its final status. Already stopped -32003.' },
  'agent.get': { result: 'AgentStatus \\| null', doc: 'One agent; records of ended agents are kept 1 hour.' },
  'agent.list': { result: 'AgentStatus[]', doc: 'Alive agents plus those ended or expired in the last 10 minutes; one consistent snapshot.' },
  'agent.stale': { result: 'AgentStatus[], or Page with `limit`', doc: 'Alive agents whose last beat is older than the threshold, longest silent first.' },
  'signal.send': { result: 'Signal', doc: 'A signal for one agent.' },
  'signal.broadcast': { result: 'Signal', doc: 'A signal (target `"*"`) every agent may consume once, for itself; not delivered to its sender.' },
  'signal.wait': { result: 'Signal \\| null', doc: 'Blocks until a matching signal arrives (woken by push) or the timeout passes (null). Works as an HTTP long poll.' },
  'signal.check': { result: 'Signal \\| null', doc: 'The oldest matching signal, without waiting.' },
  'signal.pending': { result: 'Signal[], or Page with `limit`', doc: 'Every signal the agent could still take, oldest first.' },
  'signal.clear': { result: '`{cleared}`', doc: 'Drops pending signals (broadcasts only for this agent).' },
  'approval.create': { result: 'Approval', doc: 'Files a pending request.' },
  'approval.request': { result: 'Approval', doc: 'create + wait until decided or expired (expiry is a rejection: status `expired`).' },
  'approval.wait': { result: 'Approval', doc: 'Waits for a decision; answers with the request as it stands at the timeout. Unknown id -32002.' },
  'approval.respond': { result: 'Approval', doc: 'The one answer a request gets; a second is -32003, an unknown id -32002.' },
  'approval.pending': { result: 'Approval[], or Page with `limit`', doc: 'Pending requests, soonest to expire first.' },
  'approval.get': { result: 'Approval \\| null', doc: 'One request; decided requests are kept 7 days.' },
  'event.publish': { result: '`{id}`', doc: `Appends to the type's Redis Stream (capped near ${EVENT_STREAM_MAXLEN} entries) and pushes to \`events:<type>\`.` },
  'event.recent': { result: 'Event[]', doc: 'Recent events of one type, newest last.' },
  'event.types': { result: 'string[], or Page with `limit`', doc: '*Extension to SPEC §4*: the event types published within `eventRetentionMs`, by name (for the CLI and the Events view).' },
  subscribe: { result: '`{subscriptionId}`', doc: 'WebSocket only: pushes `event` notifications for the topics.' },
  unsubscribe: { result: '`{unsubscribed: true}`', doc: "Ends one of this connection's subscriptions; another's is -32002." },
};

function typeOf(schema: JsonSchema): string {
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' \\| ');
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.patternProperties) return 'object';
  if (schema.type === 'array') return `${typeOf(schema.items ?? {})}[]`;
  return schema.type ?? 'JSON';
}

function rules(schema: JsonSchema): string {
  const out: string[] = [];
  if (schema.pattern === ID_PATTERN) out.push('id');
  else if (schema.pattern) out.push(`pattern \`${schema.pattern}\``);
  if (schema.items?.pattern) out.push(`each matches \`${schema.items.pattern}\``);
  if (schema.exclusiveMinimum !== undefined) out.push(`> ${schema.exclusiveMinimum}`);
  if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) out.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) out.push(`length ≥ ${schema.minLength}`);
  if (schema.maxLength !== undefined) out.push(`length ≤ ${schema.maxLength}`);
  if (schema.minItems !== undefined) out.push(`${schema.minItems}–${schema.maxItems ?? '∞'} items`);
  return out.join(', ');
}

export function renderProtocolDoc(): string {
  const lines = [
    '# Switchboard protocol (generated)',
    '',
    `<!-- Generated by \`npm run docs:protocol\` from protocol/schemas.ts. Do not edit by hand; a test fails when it is stale. -->`,
    '',
    `Protocol version **${PROTOCOL_VERSION}**. JSON-RPC 2.0 over \`ws://HOST:PORT/v1\` and \`POST http://HOST:PORT/v1/rpc\`, single messages and batches,`,
    'with `Authorization: Bearer <token>` (the token is in `<state-dir>/token`). The contract these follow is `shared/SPEC.md`;',
    'the shapes of results are in `protocol/types.ts`; decisions beyond the spec are in `docs/decisions.md`.',
    '',
    '## Limits',
    '',
    `- ids (agentId, type, requestId…): \`${ID_PATTERN}\` (shown as *id* below).`,
    `- payload / context / metadata / data: any JSON, at most \`maxValueBytes\` serialized (-32004 names the field); a WebSocket frame or HTTP body at most ${MAX_FRAME_BYTES} bytes (HTTP 413 / WebSocket close 1009).`,
    `- timeoutMs: 0 < timeoutMs ≤ ${MAX_TIMEOUT_MS}.`,
    '- Unknown fields are refused (`rule: "unknown field"`); every -32602 error carries `data: {field, rule}`.',
    '- Numbers must be ones a 64-bit float holds exactly as written: a number outside its range (`1e309`) or an integer beyond',
    '  ±2^53 (`12345678901234567890123`) is -32602 with `rule: "number"` (send such values as strings); an `id` like that is -32600.',
    '- Listings that can grow (`agent.stale`, `approval.pending`, `signal.pending`, `event.types`) take `limit` (1–' + MAX_PAGE_LIMIT + ') and',
    '  `cursor`: with `limit` the result is one page `{items, nextCursor}` (pass `nextCursor` back as `cursor`; `null` at the end);',
    '  without it, the whole list as an array, read page by page (not one snapshot) and refused with -32004 past `maxReplyBytes`.',
    '',
    'Configurable limits (`<state-dir>/config.json` → `"limits": {"name": value}`; `hello` reports them; `/metrics` counts',
    'refusals in `switchboard_limit_hits_total{limit}`; an error caused by one names it in `data.rule`):',
    '',
    '| limit | default | unit | what it bounds |',
    '|---|---|---|---|',
    ...Object.entries(LIMITS).map(([name, limit]) => `| \`${name}\` | ${limit.default} | ${limit.unit} | ${limit.means} |`),
    '',
    '## Errors',
    '',
    '| code | name |',
    '|---|---|',
    ...Object.entries(ErrorCode).map(([name, code]) => `| ${code} | ${name} |`),
    '',
    '## Methods',
    '',
  ];
  for (const [method, schema] of Object.entries(schemas) as [MethodName, JsonSchema][]) {
    const meta = METHODS[method];
    lines.push(`### \`${method}\` → ${meta.result}`, '', meta.doc, '');
    const properties = Object.entries(schema.properties ?? {});
    if (properties.length === 0) {
      lines.push('No params (`{}`).', '');
      continue;
    }
    lines.push('| param | type | required | rules | notes |', '|---|---|---|---|---|');
    for (const [name, property] of properties) {
      const required = schema.required?.includes(name) ? 'yes' : '';
      lines.push(`| \`${name}\` | ${typeOf(property)} | ${required} | ${rules(property)} | ${property.description ?? ''} |`);
    }
    lines.push('');
  }
  lines.push(
    '## Pushed events',
    '',
    '`{"jsonrpc":"2.0","method":"event","params":{subscriptionId, topic, type, data, seq, ts}}`; `seq` rises by one per',
    'subscription: a gap means pushes were dropped (slow consumer, or the daemon lost Redis for a moment) — reload a snapshot.',
    '',
    '| topic | types | data |',
    '|---|---|---|',
    '| `agents` | `agent.started`, `agent.beat`, `agent.stopped`, `agent.expired` | AgentStatus |',
    '| `signals` | `signal.sent` | Signal |',
    '| `signals` | `signal.consumed` | `{signalId, type, source, target, by}` |',
    '| `signals` | `signal.cleared` | `{agentId, type, cleared}` |',
    '| `approvals` | `approval.requested`, `approval.approved`, `approval.rejected`, `approval.expired` | Approval |',
    '| `events:<type>` | `<type>` | Event `{id, type, data, ts}` |',
    '| `events:*` (*extension*: every type) | the event\'s type | Event `{id, type, data, ts}` |',
    '| `outcomes`, `queues`, `safety` | (accepted now; events come with their issues) | |',
    '',
  );
  return lines.join('\n');
}

export const PROTOCOL_DOC = resolve(__dirname, '../docs/protocol.md');

if (require.main === module) {
  writeFileSync(PROTOCOL_DOC, renderProtocolDoc());
  process.stdout.write(`wrote ${PROTOCOL_DOC}\n`);
}
