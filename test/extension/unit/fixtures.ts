/** Wire objects for the view-model tests. */
import type { AgentStatus, Approval, PushedEvent } from '../../../protocol/types';

export function agent(agentId: string, over: Partial<AgentStatus> = {}): AgentStatus {
  const now = Date.now();
  return { agentId, status: 'running', progress: 0.5, currentTask: 'work', metadata: {}, startedAt: now, lastBeatAt: now, ttlSeconds: 30, alive: true, ...over };
}

export function approval(requestId: string, over: Partial<Approval> = {}): Approval {
  const now = Date.now();
  return { requestId, agentId: 'a', type: 'deploy', context: {}, risk: 'medium', status: 'pending', requestedAt: now, expiresAt: now + 60_000, ...over };
}

let seq = 0;
export function pushed(topic: PushedEvent['topic'], type: string, data: unknown): PushedEvent {
  // Raw frames as the daemon sends them; the union type is what the code under test relies on.
  return { subscriptionId: 's', topic, type, data, seq: ++seq, ts: Date.now() } as PushedEvent;
}
