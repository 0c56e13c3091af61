/** How runs and steps read in the Workflows view: row texts and Markdown tooltips (plain TypeScript). */
import { msText } from '../../common/outcome-format';
import { ageText, clockTime } from '../../common/time-format';
import { RUN_LOOK, STEP_LOOK } from '../../common/workflow-look';
import type { WorkflowStep, WorkflowSummary } from '../../protocol/types';
import { payloadText } from '../queues/queue-display';

/** Steps ended (completed, failed or skipped) of all: `3/5`. */
export function progressText(summary: WorkflowSummary): string {
  return `${summary.stepCount - summary.openSteps}/${summary.stepCount}`;
}

/** `running · 3/5 · 2m`: the state first (a narrow sidebar cuts the end), then progress and age (since start). */
export function describeRun(summary: WorkflowSummary, now = Date.now()): string {
  return `${summary.status} · ${progressText(summary)} · ${ageText(now - summary.startedAt)}`;
}

/** `running · attempt 2/4 · 12s · build`: state, attempts once delivered, how long it ran (or has been running), where it runs. */
export function describeStep(step: WorkflowStep, now = Date.now()): string {
  const attempts = step.attempts > 0 ? `attempt ${step.attempts}${step.maxAttempts ? `/${step.maxAttempts}` : ''}` : '';
  return [step.state, attempts, stepTiming(step, now), stepTarget(step)].filter(Boolean).join(' · ');
}

/** Its queue; a capability step's capability (`summarize@2`), and the agent that took it last (`→ writer-1`). */
export function stepTarget(step: WorkflowStep): string {
  if (!step.capability) return step.queue;
  const { name, version } = step.capability;
  return `${name}${version ? `@${version}` : ''}${step.agent ? ` → ${step.agent}` : ''}`;
}

/** How long a step ran (to the ms under a minute: many steps take less than a second), or has been running (on the clock's refresh); empty before it started. */
export function stepTiming(step: WorkflowStep, now = Date.now()): string {
  if (step.startedAt === undefined) return '';
  if (step.endedAt === undefined) return `for ${ageText(now - step.startedAt)}`;
  const took = step.endedAt - step.startedAt;
  return took < 60_000 ? msText(took) : ageText(took);
}

export function runTooltip(summary: WorkflowSummary): string {
  return [
    `**${escape(summary.name)}** — ${summary.status}: ${RUN_LOOK[summary.status].meaning}`,
    `\`${summary.workflowId}\``,
    `${progressText(summary)} steps ended · started ${clockTime(summary.startedAt)}${summary.endedAt ? ` · ended ${clockTime(summary.endedAt)}` : ''}`,
    summary.stopOnFailure ? 'Stops on the first failure of a required step.' : 'Runs every branch to its end on failure (stopOnFailure: false).',
  ].join('\n\n');
}

export function stepTooltip(step: WorkflowStep): string {
  const lines = [
    `**${escape(step.name)}**${step.optional ? ' (optional)' : ''} — ${step.state}: ${STEP_LOOK[step.state].meaning}`,
    `${step.capability ? `Capability \`${stepTarget(step)}\` on queue` : 'Queue'} \`${step.queue}\`${step.jobId ? ` · job \`${step.jobId}\`` : ''}`,
  ];
  if (step.dependsOn?.length) lines.push(`Depends on ${step.dependsOn.map((name) => `\`${name}\``).join(', ')}`);
  if (step.startedAt !== undefined) lines.push(`Started ${clockTime(step.startedAt)}${step.endedAt !== undefined ? ` · ended ${clockTime(step.endedAt)}` : ''}`);
  if (step.error) lines.push(`Error:\n\`\`\`\n${step.error.replaceAll('```', "'''")}\n\`\`\``);
  if (step.result !== undefined) lines.push(`Result:\n\`\`\`json\n${payloadText(step.result).replaceAll('```', "'''")}\n\`\`\``);
  return lines.join('\n\n');
}

/** Names are free text: the Markdown that would change how they read is escaped. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, '\\$&');
}
