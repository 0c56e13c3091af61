/**
 * The side panel of the graph: the clicked step's state, attempts and timing, the payload its job
 * carries (its input and the results of its completed dependencies, as the worker receives them),
 * its result or error, and the outcomes its dispatches recorded.
 */
import { msText } from '../../common/outcome-format';
import { STEP_LOOK } from '../../common/workflow-look';
import type { OutcomeEvent, Workflow, WorkflowStep } from '../../protocol/types';
import { h } from '../shared/dom';

export function stepDetails(workflow: Workflow, step: WorkflowStep, outcomes: OutcomeEvent[] | 'loading' | Error): HTMLElement {
  const facts: [string, string][] = [
    ['State', `${step.state}: ${STEP_LOOK[step.state].meaning}`],
    ['Queue', step.queue],
    ...(step.capability ? [['Capability', `${step.capability.name}${step.capability.version ? `@${step.capability.version}` : ''}`] as [string, string]] : []),
    ...(step.agent ? [['Agent', step.agent] as [string, string]] : []),
    ['Attempts', step.maxAttempts ? `${step.attempts} of ${step.maxAttempts}` : String(step.attempts)],
  ];
  if (step.jobId) facts.push(['Job', step.jobId]);
  if (step.dependsOn?.length) facts.push(['Depends on', step.dependsOn.join(', ')]);
  if (step.startedAt !== undefined) facts.push(['Started', new Date(step.startedAt).toLocaleTimeString()]);
  if (step.endedAt !== undefined) facts.push(['Ended', new Date(step.endedAt).toLocaleTimeString()]);
  if (step.startedAt !== undefined && step.endedAt !== undefined) facts.push(['Took', msText(step.endedAt - step.startedAt)]);
  return h('aside', { id: 'details', 'aria-label': `step ${step.name}` },
    h('h2', {}, h('span', { class: `codicon codicon-${STEP_LOOK[step.state].icon}` }), ` ${step.name}`, step.optional ? h('span', { class: 'meta' }, ' (optional)') : null),
    h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    step.state === 'failed' ? h('vscode-button', { 'data-action': 'retryStep', 'data-step': step.name, id: 'retry' }, 'Retry Step') : null,
    section('Payload', 'payload', json(payloadOf(workflow, step))),
    step.result !== undefined ? section('Result', 'result', json(step.result)) : null,
    step.error !== undefined ? section('Error', 'error', h('pre', { class: 'error' }, step.error)) : null,
    section('Outcomes', 'outcomes', outcomesList(outcomes)),
  );
}

/** What the step's job carries: `{workflowId, step, input, results}` (docs/workflows.md). */
export function payloadOf(workflow: Workflow, step: WorkflowStep): unknown {
  const results: Record<string, unknown> = {};
  for (const name of step.dependsOn ?? []) {
    const dep = workflow.steps.find((s) => s.name === name);
    if (dep?.state === 'completed') results[name] = dep.result ?? null;
  }
  return { workflowId: workflow.workflowId, step: step.name, input: step.input ?? null, results };
}

function section(title: string, id: string, body: Node): HTMLElement {
  return h('section', { id: `details-${id}` }, h('h3', {}, title), body);
}

function json(value: unknown): HTMLElement {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2) ?? 'null');
}

function outcomesList(outcomes: OutcomeEvent[] | 'loading' | Error): Node {
  if (outcomes === 'loading') return h('p', { class: 'meta' }, 'Loading…');
  if (outcomes instanceof Error) return h('p', { class: 'meta' }, `Cannot read the outcomes: ${outcomes.message}`);
  if (outcomes.length === 0) return h('p', { class: 'meta' }, 'None recorded with this step’s correlationId.');
  return h('ul', { class: 'outcomes' }, ...outcomes.map((o) =>
    h('li', {}, h('strong', {}, o.status), ` ${o.agentName} · ${o.actionType} · ${o.durationMs} ms`, o.errorMessage ? h('div', { class: 'error' }, o.errorMessage) : null),
  ));
}
