/** The workflows feature: its model, its link to the daemon, the Workflows view, its commands and the graph webviews. */
import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { StepFailureNotifier } from './step-failure-notifier';
import { registerWorkflowCommands, retryStep } from './workflow-commands';
import { WorkflowFeed } from './workflow-feed';
import { WorkflowGraphPanels } from './workflow-graph-panel';
import { WorkflowModel } from './workflow-model';
import { WorkflowsView } from './workflows-view';

/** Ages and running times in the rows move on the local clock this often (a redraw only of rows whose text changed). */
const CLOCK_REFRESH_MS = 5_000;

/** What the feature hands back: the model and view, for the in-host tests, and whether a job's failure was told as its step's (for the Queues toast). */
export interface WorkflowsApi {
  model: WorkflowModel;
  view: WorkflowsView;
  toldAsStepFailure(jobId: string): boolean;
}

/** Registers everything on the extension's subscriptions. */
export function registerWorkflows(services: ExtensionServices): WorkflowsApi {
  const model = new WorkflowModel();
  // The feed's pushes arrive once connected, after this function returns: the notifier (which
  // opens the graphs, which read the feed) is made last.
  const feed = new WorkflowFeed(services.connection, model, services.log, (event) => notifier.onStepFailed(event));
  const view = new WorkflowsView(model, feed);
  const graphs = new WorkflowGraphPanels(services, model, feed);
  const notifier = new StepFailureNotifier(services.log, {
    runName: (workflowId) => model.name(workflowId),
    retryStep: (workflowId, step) => void retryStep(services, workflowId, step),
    openGraph: (workflowId) => graphs.show(workflowId),
  });
  const tree = vscode.window.createTreeView('switchboard.workflows', { treeDataProvider: view, showCollapseAll: true });
  const onState = () => view.setConnected(services.connection.state === 'connected');
  services.connection.on('state', onState);
  onState();
  const clock = setInterval(() => tree.visible && view.refreshTimes(), CLOCK_REFRESH_MS);
  services.extension.subscriptions.push(
    view,
    tree,
    graphs,
    tree.onDidCollapseElement((event) => view.collapsed(event.element)),
    ...registerWorkflowCommands(services, model, (workflowId) => graphs.show(workflowId)),
    { dispose: () => clearInterval(clock) },
    { dispose: () => services.connection.off('state', onState) },
    { dispose: () => feed.dispose() },
    { dispose: () => model.dispose() },
  );
  return { model, view, toldAsStepFailure: (jobId) => notifier.received(jobId) };
}
