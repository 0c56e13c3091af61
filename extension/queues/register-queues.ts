/** The work-queues feature: its model, its link to the daemon, the Queues view, its commands and notifications. */
import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { registerQueueCommands } from './queue-commands';
import { DeadJobNotifier } from './dead-job-notifier';
import { QueueFeed } from './queue-feed';
import { QueueModel } from './queue-model';
import { QueuesView } from './queues-view';

/** What the feature hands back: the model and view, for the in-host tests. */
export interface QueuesApi {
  model: QueueModel;
  view: QueuesView;
}

/**
 * Registers everything on the extension's subscriptions. `toldAsStepFailure`: whether a dead
 * job's failure was told as a workflow step's (the Workflows feature's), so not again here.
 */
export function registerQueues(services: ExtensionServices, toldAsStepFailure: (jobId: string) => boolean): QueuesApi {
  const model = new QueueModel();
  const feed = new QueueFeed(services.connection, model, services.log);
  const view = new QueuesView(model, feed);
  const tree = vscode.window.createTreeView('switchboard.queues', { treeDataProvider: view });
  const showQueue = (queue: string) => void tree.reveal(view.node(queue), { select: true, focus: true, expand: true });
  const notifier = new DeadJobNotifier(services.log, services.extension.workspaceState, showQueue, toldAsStepFailure);
  const onState = () => view.setConnected(services.connection.state === 'connected');
  services.connection.on('state', onState);
  onState();
  services.extension.subscriptions.push(
    view,
    tree,
    tree.onDidCollapseElement((event) => view.collapsed(event.element)),
    model.onDidChange((change) => change.newlyDead.length > 0 && notifier.onDead(change.newlyDead)),
    ...registerQueueCommands(services, model),
    { dispose: () => services.connection.off('state', onState) },
    { dispose: () => feed.dispose() },
    { dispose: () => model.dispose() },
  );
  return { model, view };
}
