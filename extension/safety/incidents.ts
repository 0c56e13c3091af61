/**
 * What the Safety view's "Blocked & warned" group lists: one shape for a decision whether it was
 * read from the audit trail (`safety.audit`) or pushed on the `safety` topic, so that the two
 * can be merged (the push and the audit entry of one decision carry the same ts). Plain
 * TypeScript. Never the content itself: rule ids, the field and the spans, as the daemon keeps them.
 */
import type { AuditEntry, PolicyDecisionEvent, SafetyDecision, SafetyFinding } from '../../protocol/types';

/** Content refused or let through with findings; tool calls the policy refused or sent for approval. */
export const INCIDENT_KINDS = ['blocked', 'warned', 'policy_denied', 'approval_required'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface Span {
  ruleId: string;
  /** The JSON path of the leaf inside the field (`payload.note`), where enforcement gives it. */
  path?: string;
  start: number;
  end: number;
}

export interface Incident {
  /** Kind, time and agent: the same for a decision's push and its audit entry. */
  key: string;
  kind: IncidentKind;
  ts: number;
  agentId?: string;
  /** The method whose payload was checked, or the tool a policy refused. */
  subject?: string;
  field?: string;
  ruleIds: string[];
  spans: Span[];
  /** Why a policy refused (its reason), when there are no rules to name. */
  reason?: string;
}

export function isIncidentKind(kind: string): kind is IncidentKind {
  return (INCIDENT_KINDS as readonly string[]).includes(kind);
}

function incident(fields: Omit<Incident, 'key'>): Incident {
  return { key: `${fields.kind}@${fields.ts}@${fields.agentId ?? ''}`, ...fields };
}

/** A pushed `safety.blocked` / `safety.warned`. */
export function fromDecision(kind: 'blocked' | 'warned', decision: SafetyDecision): Incident {
  const spans = decision.findings.map(spanOf);
  return incident({ kind, ts: decision.ts, agentId: decision.agentId, subject: decision.method, field: decision.field, ruleIds: unique(spans.map((s) => s.ruleId)), spans });
}

/** A pushed `policy.denied`: a refusal, or (allowed, but only after a human says yes) a call sent for approval. */
export function fromDenied(event: PolicyDecisionEvent): Incident {
  const kind = event.allowed ? 'approval_required' : 'policy_denied';
  return incident({ kind, ts: event.ts, agentId: event.agentId, subject: event.tool, ruleIds: event.rule ? [event.rule] : [], spans: [], reason: event.reason });
}

/** Whether the policy decided it (a tool call), not a rule over content. */
export function isPolicyIncident(incident: Incident): boolean {
  return incident.kind === 'policy_denied' || incident.kind === 'approval_required';
}

/**
 * An audit entry of an incident kind, or undefined. Its detail is free-form (the daemon's parts
 * each write their own): findings or rule ids, a field, a reason are read where present.
 */
export function fromAudit(entry: AuditEntry): Incident | undefined {
  if (!isIncidentKind(entry.kind)) return undefined;
  const { detail } = entry;
  const spans = Array.isArray(detail.findings) ? (detail.findings as Partial<SafetyFinding>[]).filter((f) => typeof f.ruleId === 'string').map((f) => spanOf(f as SafetyFinding)) : [];
  const named = [detail.ruleIds, detail.rules, detail.rule].flat().filter((id): id is string => typeof id === 'string');
  return incident({
    kind: entry.kind,
    ts: entry.ts,
    agentId: entry.agentId ?? text(detail.agentId),
    subject: entry.subject ?? text(detail.method) ?? text(detail.tool),
    field: text(detail.field),
    ruleIds: unique([...spans.map((s) => s.ruleId), ...named]),
    spans,
    reason: text(detail.reason),
  });
}

function spanOf(finding: Pick<SafetyFinding, 'ruleId' | 'start' | 'end' | 'path'>): Span {
  const span: Span = { ruleId: finding.ruleId, start: finding.start, end: finding.end };
  if (typeof finding.path === 'string') span.path = finding.path;
  return span;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
