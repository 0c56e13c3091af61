/** What an approval request is about, in one line: the first fields of its context, else the agent's task. */
import type { Approval } from '../../protocol/types';

const FIELDS = 3;
const VALUE_CHARS = 40;

export function approvalSummary(approval: Pick<Approval, 'context'>, agentTask?: string): string {
  const context = approval.context;
  if (context !== null && typeof context === 'object' && !Array.isArray(context)) {
    const fields = Object.entries(context as Record<string, unknown>)
      .filter(([, value]) => value !== null && typeof value !== 'object')
      .slice(0, FIELDS)
      .map(([key, value]) => `${key}: ${clip(String(value))}`);
    if (fields.length > 0) return fields.join(', ');
  }
  return agentTask ? `while "${clip(agentTask)}"` : '';
}

function clip(text: string): string {
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
}
