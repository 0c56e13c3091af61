/** `workflows` (the list; with the capabilities its steps name and the agents that took them), `workflow <id>` (one, with its steps and their agents) and `run <file.json>` (start one; --wait follows it to its end). */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../common/user-error';
import { ageText } from '../common/time-format';
import { capabilityText } from '../protocol/capability';
import type { ParamsOf } from '../protocol/methods';
import type { Workflow, WorkflowSummary } from '../protocol/types';
import type { SwitchboardClient } from '../client/client';
import { daemonCommand, parseInteger, print, printJson, withClient } from './client-commands';
import { table, truncate } from './table';

const ENDED = new Set(['completed', 'failed', 'cancelled']);

export function registerWorkflowCommands(program: Command): void {
  daemonCommand(program, 'workflows')
    .description('workflows, newest first, with their status and open steps')
    .option('--count <n>', 'how many', parseInteger, 20)
    .action(withClient(async (client, flags, o: { count: number }) => {
      const list = await client.workflows.list({ count: o.count });
      return flags.json ? printJson(list) : print(list.length ? workflowsTable(list) : 'no workflows');
    }));

  daemonCommand(program, 'workflow <workflowId>')
    .description("one workflow: each step's state, attempts, result or error")
    .action(withClient(async (client, flags, _o: unknown, workflowId: string) => {
      const workflow = await client.workflows.get({ workflowId });
      if (!workflow) throw new UserError(`workflow "${workflowId}" does not exist`);
      return flags.json ? printJson(workflow) : print(workflowText(workflow));
    }));

  daemonCommand(program, 'run <file>')
    .description('starts the workflow a JSON file describes (workflow.start params) and prints its id; --wait follows it to its end (exit 1 unless it completed)')
    .option('--wait', 'print step ends as they come and wait for the workflow to end')
    .action(withClient(async (client, flags, o: { wait?: boolean }, file: string) => {
      const params = readParams(file);
      if (!o.wait) {
        const workflow = await client.workflows.start(params);
        return flags.json ? printJson(workflow) : print(workflow.workflowId);
      }
      const workflow = await follow(client, params, flags.json === true);
      if (flags.json) printJson(workflow);
      else print(workflowText(workflow));
      if (workflow.status !== 'completed') throw new UserError(`workflow ${workflow.workflowId} ${workflow.status}`);
    }));
}

function readParams(file: string): ParamsOf<'workflow.start'> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as ParamsOf<'workflow.start'>;
  } catch (error) {
    throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Starts the workflow after subscribing (so no end is missed) and resolves with it once it has ended. */
async function follow(client: SwitchboardClient, given: ParamsOf<'workflow.start'>, json: boolean): Promise<Workflow> {
  // the id is chosen here, not by the daemon: a step may end before workflow.start has answered
  const params = { ...given, workflowId: given.workflowId ?? randomUUID() };
  const workflowId = params.workflowId;
  let end: (() => void) | undefined;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const subscription = await client.subscribe(['workflows'], (event) => {
    if (event.topic !== 'workflows') return;
    if (event.type === 'step.completed' || event.type === 'step.failed') {
      if (event.data.workflowId === workflowId && !json) print(`${event.type.slice(5)}  ${event.data.step.name}${event.data.step.error ? `: ${event.data.step.error}` : ''}`);
    } else if (event.type !== 'step.started' && event.data.workflowId === workflowId && ENDED.has(event.data.status)) end!();
  });
  const started = await client.workflows.start(params);
  if (!json) print(`started ${workflowId} (${started.steps.length} steps)`);
  // an idempotent start may answer a workflow that has ended already; else its end event comes
  const now = await client.workflows.get({ workflowId });
  if (!now || !ENDED.has(now.status)) await ended;
  await subscription.unsubscribe();
  return (await client.workflows.get({ workflowId }))!;
}

/** The columns of capability steps: shown only when the run (or a run of the list) has any. */
const listed = (names: readonly string[] | undefined) => (names?.length ? truncate(names.join(','), 40) : '');

function workflowsTable(list: WorkflowSummary[]): string {
  const now = Date.now();
  const withCapabilities = list.some((w) => w.capabilities?.length);
  return table(
    ['WORKFLOW', 'NAME', 'STATUS', 'OPEN', 'STARTED', ...(withCapabilities ? ['CAPABILITIES', 'AGENTS'] : [])],
    list.map((w) => [
      w.workflowId,
      truncate(w.name, 40),
      w.status,
      `${w.openSteps}/${w.stepCount}`,
      `${ageText(now - w.startedAt)} ago`,
      ...(withCapabilities ? [listed(w.capabilities), listed(w.agents)] : []),
    ]),
  );
}

function workflowText(workflow: Workflow): string {
  const head = `${workflow.workflowId}  ${workflow.name}  ${workflow.status}`;
  const withCapabilities = workflow.steps.some((s) => s.capability);
  const rows = workflow.steps.map((s) => [
    s.name,
    s.queue,
    s.state,
    String(s.attempts),
    s.startedAt && s.endedAt ? `${s.endedAt - s.startedAt}ms` : '',
    ...(withCapabilities ? [s.capability ? capabilityText(s.capability) : '', s.agent ?? ''] : []),
    truncate(s.error ?? (s.result === undefined ? '' : JSON.stringify(s.result)), 60),
  ]);
  const columns = ['STEP', 'QUEUE', 'STATE', 'ATTEMPTS', 'TOOK', ...(withCapabilities ? ['CAPABILITY', 'AGENT'] : []), 'RESULT / ERROR'];
  return `${head}\n${table(columns, rows)}`;
}
