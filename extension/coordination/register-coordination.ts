/** The coordination feature: its model, its link to the daemon and the Coordination view (locks, semaphores, barriers). */
import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { CoordinationFeed } from './coordination-feed';
import { CoordinationModel } from './coordination-model';
import { CoordinationView } from './coordination-view';

/** How often the leases' time left is looked at (rows are redrawn only when their text moves on). */
const CLOCK_MS = 1_000;

/** What the feature hands back: the model and view, for the in-host tests. */
export interface CoordinationApi {
  model: CoordinationModel;
  view: CoordinationView;
}

/** Registers everything on the extension's subscriptions. */
export function registerCoordination(services: ExtensionServices): CoordinationApi {
  const model = new CoordinationModel();
  const feed = new CoordinationFeed(services.connection, model, services.log);
  const view = new CoordinationView(model);
  const tree = vscode.window.createTreeView('switchboard.coordination', { treeDataProvider: view });
  const onState = () => view.setConnected(services.connection.state === 'connected');
  services.connection.on('state', onState);
  onState();
  // The local clock only redraws time left; what is held comes by push.
  const clock = setInterval(() => tree.visible && view.hasLeases() && view.refreshTimes(), CLOCK_MS);
  services.extension.subscriptions.push(
    view,
    tree,
    tree.onDidChangeVisibility((event) => event.visible && view.refreshTimes()),
    { dispose: () => clearInterval(clock) },
    { dispose: () => services.connection.off('state', onState) },
    { dispose: () => feed.dispose() },
    { dispose: () => model.dispose() },
  );
  return { model, view };
}
