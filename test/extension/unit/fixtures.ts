/** Wire objects for the view-model tests. */
import type { AgentStatus, Approval, Job, OutcomeAgentStats, OutcomeAlert, PushedEvent, QueueSummary, Workflow, WorkflowStep, WorkflowSummary } from '../../../protocol/types';

export function agent(agentId: string, over: Partial<AgentStatus> = {}): AgentStatus {
  const now = Date.now();
  return { agentId, status: 'running', progress: 0.5, currentTask: 'work', metadata: {}, startedAt: now, lastBeatAt: now, ttlSeconds: 30, alive: true, ...over };
}

export function approval(requestId: string, over: Partial<Approval> = {}): Approval {
  const now = Date.now();
  return { requestId, agentId: 'a', type: 'deploy', context: {}, risk: 'medium', status: 'pending', requestedAt: now, expiresAt: now + 60_000, ...over };
}

export function summary(queue: string, over: Partial<QueueSummary> = {}): QueueSummary {
  return { queue, waiting: { high: 0, normal: 0, low: 0 }, delayed: 0, active: 0, completed: 0, dead: 0, completedTotal: 0, maxLength: 10_000, ...over };
}

export function deadJob(queue: string, jobId: string, over: Partial<Job> = {}): Job {
  const now = Date.now();
  return { jobId, queue, payload: { n: 1 }, priority: 'normal', state: 'dead', attempts: 3, maxAttempts: 3, enqueuedAt: now - 1000, finishedAt: now, lastError: 'boom', ...over };
}

let seq = 0;
export function pushed(topic: PushedEvent['topic'], type: string, data: unknown): PushedEvent {
  // Raw frames as the daemon sends them; the union type is what the code under test relies on.
  return { subscriptionId: 's', topic, type, data, seq: ++seq, ts: Date.now() } as PushedEvent;
}

export function outcomeStats(agentName: string, over: Partial<OutcomeAgentStats> = {}): OutcomeAgentStats {
  return {
    agentName,
    count: 20,
    successRate: 0.9,
    errorRate: 0.1,
    p50Ms: 120,
    p95Ms: 480,
    p99Ms: 900,
    avgMs: 150,
    tokensUsed: 4000,
    costUsd: 0.02,
    byStatus: { success: 18, failure: 2, partial: 0, timeout: 0, cancelled: 0, pending: 0 },
    alerting: false,
    lastAt: Date.now(),
    ...over,
  };
}

export function outcomeAlert(agentName: string, over: Partial<OutcomeAlert> = {}): OutcomeAlert {
  return { agentName, errorRate: 0.25, count: 20, errors: 5, threshold: 0.1, windowSeconds: 300, at: Date.now(), ...over };
}

export function workflowSummary(workflowId: string, over: Partial<WorkflowSummary> = {}): WorkflowSummary {
  return { workflowId, name: `run ${workflowId}`, status: 'running', stopOnFailure: true, startedAt: Date.now(), stepCount: 2, openSteps: 2, ...over };
}

export function workflowStep(name: string, over: Partial<WorkflowStep> = {}): WorkflowStep {
  return { name, queue: 'q', state: 'pending', attempts: 0, dependsOn: [], maxAttempts: 4, ...over };
}

export function workflow(workflowId: string, steps: WorkflowStep[], over: Partial<WorkflowSummary> = {}): Workflow {
  return { ...workflowSummary(workflowId, { stepCount: steps.length, openSteps: steps.length, ...over }), steps };
}
