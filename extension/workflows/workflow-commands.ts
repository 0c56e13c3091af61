/**
 * Runs handled from the Workflows view's rows or the palette: Pause, Resume, Cancel (after a modal
 * naming the run and what cancelling does), Retry Step (a failed step) and Open Graph. From the
 * palette, a QuickPick of the runs the action applies to. Results are confirmed in the status bar
 * and the log (confirm.ts); a refusal (the run moved on meanwhile) is a warning with the daemon's reason.
 */
import * as vscode from 'vscode';
import type { WorkflowStatus, WorkflowSummary } from '../../protocol/types';
import { confirmDone } from '../confirm';
import type { ExtensionServices } from '../context';
import { describeRun } from './workflow-display';
import type { WorkflowModel } from './workflow-model';
import type { WorkflowNode } from './workflows-view';

type RunAction = 'pause' | 'resume' | 'cancel';

/** Which runs each action applies to (the `when` clauses of the rows' menus say the same). */
const ACTION_STATUSES: Record<RunAction, WorkflowStatus[]> = { pause: ['running'], resume: ['paused'], cancel: ['running', 'paused'] };
const DONE: Record<RunAction, string> = { pause: 'paused', resume: 'resumed', cancel: 'cancelled' };

export function registerWorkflowCommands(services: ExtensionServices, model: WorkflowModel, openGraph: (workflowId: string) => void): vscode.Disposable[] {
  const run = (action: RunAction) => async (node?: WorkflowNode) => {
    const workflowId = node?.workflowId ?? (await pickRun(model, ACTION_STATUSES[action], `${capital(action)} which workflow?`));
    return workflowId ? act(services, model, action, workflowId) : undefined;
  };
  return [
    vscode.commands.registerCommand('switchboard.workflow.pause', run('pause')),
    vscode.commands.registerCommand('switchboard.workflow.resume', run('resume')),
    vscode.commands.registerCommand('switchboard.workflow.cancel', run('cancel')),
    vscode.commands.registerCommand('switchboard.workflow.retryStep', (node?: WorkflowNode) => (node?.kind === 'step' ? retryStep(services, node.workflowId, node.step) : undefined)),
    vscode.commands.registerCommand('switchboard.workflow.openGraph', async (node?: WorkflowNode) => {
      const workflowId = node?.workflowId ?? (await pickRun(model, undefined, 'Open the graph of which workflow?'));
      if (workflowId) openGraph(workflowId);
    }),
  ];
}

async function act(services: ExtensionServices, model: WorkflowModel, action: RunAction, workflowId: string): Promise<WorkflowStatus | undefined> {
  const name = model.summaries.get(workflowId)?.name ?? workflowId;
  if (action === 'cancel') {
    const detail = 'Steps not yet received never run and leave their queues; a step already running is not interrupted. A cancelled workflow cannot be retried.';
    // VS Code's own dismiss button would read "Cancel" beside "Cancel Workflow": it says what it does instead.
    const cancel: vscode.MessageItem = { title: 'Cancel Workflow' };
    const choice = await vscode.window.showWarningMessage(`Cancel the workflow “${name}”?`, { modal: true, detail }, cancel, { title: 'Keep Running', isCloseAffordance: true } as vscode.MessageItem);
    if (choice !== cancel) return undefined;
  }
  try {
    const workflows = services.client().workflows;
    const answer = await (action === 'pause' ? workflows.pause({ workflowId }) : action === 'resume' ? workflows.resume({ workflowId }) : workflows.cancel({ workflowId }));
    confirmDone(services, `${DONE[action]} the workflow ${name}`, workflowId);
    return answer.status;
  } catch (error) {
    void vscode.window.showWarningMessage(`Switchboard: could not ${action} the workflow “${name}”: ${(error as Error).message}`);
    return undefined;
  }
}

export async function retryStep(services: ExtensionServices, workflowId: string, step: string): Promise<WorkflowStatus | undefined> {
  try {
    const answer = await services.client().workflows.retryStep({ workflowId, step });
    confirmDone(services, `retrying the step ${step}`, `workflow ${workflowId}`);
    return answer.status;
  } catch (error) {
    void vscode.window.showWarningMessage(`Switchboard: could not retry the step “${step}”: ${(error as Error).message}`);
    return undefined;
  }
}

/** The run to act on: the only one the action applies to, or the user's pick among them. */
async function pickRun(model: WorkflowModel, statuses: WorkflowStatus[] | undefined, title: string): Promise<string | undefined> {
  const runs = model.workflows().filter((summary) => !statuses || statuses.includes(summary.status));
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(`Switchboard: no ${statuses ? `${statuses.join(' or ')} ` : ''}workflow.`);
    return undefined;
  }
  if (runs.length === 1) return runs[0]!.workflowId;
  const items = runs.map((summary: WorkflowSummary) => ({ label: summary.name, description: describeRun(summary), detail: summary.workflowId, workflowId: summary.workflowId }));
  return (await vscode.window.showQuickPick(items, { title, matchOnDetail: true }))?.workflowId;
}

function capital(word: string): string {
  return word[0]!.toUpperCase() + word.slice(1);
}
