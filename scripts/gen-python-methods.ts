/**
 * Renders sdk/python/switchboard/_methods.py from protocol/: one typed keyword-only method per RPC
 * method (grouped in the SDK's namespaces), the blocking set, the error codes and the defaults the
 * Python SDK needs, so it cannot drift from what the daemon validates. `npm run gen:python`
 * rewrites it; a test checks it is current.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ErrorCode } from '../protocol/errors';
import { DEFAULT_MAX_VALUE_BYTES, DEFAULTS, ID_PATTERN, MAX_FRAME_BYTES } from '../protocol/limits';
import { METHODS, NAMESPACES } from '../protocol/methods';
import { MAX_OUTCOME_DURATION_MS } from '../protocol/outcome';
import { schemas, type MethodName } from '../protocol/schemas';
import { TIER_RULES, TIERS } from '../protocol/tier';
import { PROTOCOL_VERSION } from '../protocol/version';

interface JsonSchema {
  type?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxLength?: number;
}

export const PYTHON_METHODS = resolve(__dirname, '../sdk/python/switchboard/_methods.py');

/** Python keywords a wire name could collide with once snake_cased (`from` in signal.send). */
const KEYWORDS = new Set(['from', 'import', 'class', 'def', 'global', 'lambda', 'return', 'pass', 'in', 'is', 'not', 'and', 'or', 'as', 'if', 'else', 'for', 'while', 'with', 'try', 'except', 'raise', 'del', 'yield', 'async', 'await', 'None', 'True', 'False']);

/** Methods the client itself speaks (hello on every open, subscriptions with their own objects): no namespace entry. */
const CLIENT_METHODS = new Set(['hello', 'subscribe', 'unsubscribe']);

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/\./g, '_');
const pyName = (wire: string) => (KEYWORDS.has(snake(wire)) ? `${snake(wire)}_` : snake(wire));
const pyString = (text: string) => JSON.stringify(text);
const pyTuple = (items: string[]) => (items.length === 1 ? `(${pyString(items[0]!)},)` : `(${items.map(pyString).join(', ')})`);

function pyType(schema: JsonSchema): string {
  if (schema.const !== undefined) return `Literal[${JSON.stringify(schema.const)}]`;
  if (schema.enum) return `Literal[${schema.enum.map((v) => JSON.stringify(v)).join(', ')}]`;
  if (schema.anyOf) {
    const members = [...new Set(schema.anyOf.map(pyType))];
    const literals = members.filter((m) => m.startsWith('Literal['));
    const others = members.filter((m) => !m.startsWith('Literal['));
    const merged = literals.length > 0 ? [`Literal[${literals.map((l) => l.slice(8, -1)).join(', ')}]`] : [];
    return [...merged, ...others].join(' | ');
  }
  if (schema.allOf) return 'dict[str, Any]';
  switch (schema.type) {
    case 'string':
      return 'str';
    case 'integer':
      return 'int';
    case 'number':
      return 'float';
    case 'boolean':
      return 'bool';
    case 'null':
      return 'None';
    case 'array':
      return `Sequence[${schema.items ? pyType(schema.items) : 'Any'}]`;
    case 'object':
      return 'dict[str, Any]';
    default:
      return 'Any';
  }
}

function docstring(text: string, indent: string): string {
  const body = text.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
  return `${indent}"""${body}\n${indent}"""`;
}

function renderMethod(method: MethodName, verb: string): string[] {
  const schema = schemas[method] as JsonSchema;
  const required = new Set(schema.required ?? []);
  const props = Object.entries(schema.properties ?? {});
  // required first, so a reader sees what must be given; all keyword-only
  const ordered = [...props.filter(([k]) => required.has(k)), ...props.filter(([k]) => !required.has(k))];
  const args = ordered.map(([wire, prop]) => (required.has(wire) ? `${pyName(wire)}: ${pyType(prop)}` : `${pyName(wire)}: ${pyType(prop)} | Unset = UNSET`));
  const signature = args.length > 0 ? `self, *, ${args.join(', ')}` : 'self';
  const described = ordered.filter(([, prop]) => prop.description).map(([wire, prop]) => `${pyName(wire)}: ${prop.description}`);
  const info = METHODS[method] as { doc: string; result: string };
  const doc = [`${info.doc}`, '', `Result: ${info.result.replace(/\\\|/g, '|')}`, ...(described.length ? ['', ...described] : [])];
  const call = ordered.map(([wire]) => `${JSON.stringify(wire)}: ${pyName(wire)}`).join(', ');
  return [
    `    def ${snake(verb)}(${signature}) -> R:`,
    docstring(doc.map((line) => (line ? `        ${line}` : '')).join('\n').trimStart(), '        '),
    `        return self._call(${pyString(method)}, _given({${call}}))`,
    '',
  ];
}

export function renderPythonMethods(): string {
  const outcomeProps = (schemas['outcome.record'] as JsonSchema).properties!;
  const names = Object.keys(METHODS) as MethodName[];
  const blocking = names.filter((m) => (METHODS[m] as { blocking?: unknown }).blocking === true);
  const waitMs = names.filter((m) => (METHODS[m] as { blocking?: unknown }).blocking === 'waitMs');
  const lines = [
    '# Generated by scripts/gen-python-methods.ts from protocol/ (npm run gen:python): do not edit.',
    '"""The RPC methods, grouped in namespaces, and the protocol constants the SDK needs."""',
    '',
    'from __future__ import annotations',
    '',
    'from collections.abc import Callable, Sequence',
    'from typing import Any, Generic, Literal, TypeVar',
    '',
    'from ._unset import UNSET, Unset',
    '',
    `PROTOCOL_VERSION = ${pyString(PROTOCOL_VERSION)}`,
    `ID_PATTERN = ${pyString(ID_PATTERN)}`,
    `MAX_FRAME_BYTES = ${MAX_FRAME_BYTES}`,
    `DEFAULT_MAX_VALUE_BYTES = ${DEFAULT_MAX_VALUE_BYTES}`,
    `AGENT_TTL_SECONDS = ${DEFAULTS.agentTtlSeconds}`,
    `APPROVAL_TIMEOUT_MS = ${DEFAULTS.approvalTimeoutMs}`,
    `QUEUE_VISIBILITY_MS = ${DEFAULTS.queueVisibilityMs}`,
    `MAX_OUTCOME_DURATION_MS = ${MAX_OUTCOME_DURATION_MS}`,
    '#: The longest text an outcome record may carry per field.',
    `OUTCOME_TEXT_LIMITS = {${(['errorMessage', 'errorType', 'stackTrace'] as const).map((f) => `${pyString(f)}: ${outcomeProps[f]!.maxLength}`).join(', ')}}`,
    '#: Model tiers (cheapest first), and the confidence above which choose_tier follows a feedback.recommend.',
    `Tier = Literal[${TIERS.map(pyString).join(', ')}]`,
    `TIER_ACT_ABOVE_CONFIDENCE = ${TIER_RULES.actAboveConfidence}`,
    '',
    '#: JSON-RPC error codes by name (SPEC §3).',
    'ERROR_CODES: dict[str, int] = {',
    ...Object.entries(ErrorCode).map(([name, code]) => `    ${pyString(name)}: ${code},`),
    '}',
    '',
    '#: Every method with its wire param names.',
    'METHOD_PARAMS: dict[str, tuple[str, ...]] = {',
    ...names.map((m) => `    ${pyString(m)}: ${pyTuple(Object.keys((schemas[m] as JsonSchema).properties ?? {}))},`),
    '}',
    '',
    '#: Methods that always block (they wait for a change): no client deadline shorter than their own timeout.',
    `BLOCKING_METHODS = frozenset({${blocking.map(pyString).join(', ')}})`,
    '#: Methods blocking only when called with waitMs > 0.',
    `WAIT_MS_METHODS = frozenset({${waitMs.map(pyString).join(', ')}})`,
    '',
    'R = TypeVar("R")',
    '',
    '',
    'def _given(params: dict[str, Any]) -> dict[str, Any]:',
    '    return {key: value for key, value in params.items() if value is not UNSET}',
    '',
    '',
    'class _Namespace(Generic[R]):',
    '    def __init__(self, call: Callable[[str, dict[str, Any]], R]) -> None:',
    '        self._call = call',
    '',
  ];
  const classes: [string, string][] = [];
  for (const [domain, field] of Object.entries(NAMESPACES)) {
    const cls = field[0]!.toUpperCase() + field.slice(1);
    classes.push([field, cls]);
    lines.push('', `class ${cls}(_Namespace[R]):`, `    """client.${field}: the ${domain}.* methods."""`, '');
    for (const method of names.filter((m) => m.startsWith(`${domain}.`) && !CLIENT_METHODS.has(m))) {
      lines.push(...renderMethod(method, method.slice(domain.length + 1)));
    }
  }
  lines.push(
    '',
    '#: Namespace attribute → class.',
    'NAMESPACES: dict[str, type[_Namespace[Any]]] = {',
    ...classes.map(([field, cls]) => `    ${pyString(field)}: ${cls},`),
    '}',
    '',
    '',
    'class Namespaces(Generic[R]):',
    '    """The typed namespaces a client carries (client.agents, client.signals…)."""',
    '',
    ...classes.map(([field, cls]) => `    ${field}: ${cls}[R]`),
    '',
    '    def _bind_namespaces(self, call: Callable[[str, dict[str, Any]], R]) -> None:',
    '        for field, cls in NAMESPACES.items():',
    '            setattr(self, field, cls(call))',
    '',
  );
  return lines.join('\n');
}

if (require.main === module) {
  writeFileSync(PYTHON_METHODS, renderPythonMethods());
  process.stdout.write(`wrote ${PYTHON_METHODS}\n`);
}
