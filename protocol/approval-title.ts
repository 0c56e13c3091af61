/** A request's title, for its editor tab and its page alike: "<type> · <agent>", then with its outcome. */
import type { Approval } from './types';

export function approvalTitle(approval: Pick<Approval, 'type' | 'agentId' | 'status'>): string {
  const title = `${approval.type} · ${approval.agentId}`;
  return approval.status === 'pending' ? title : `${title} (${approval.status})`;
}
