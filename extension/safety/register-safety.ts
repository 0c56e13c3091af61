/** The safety feature: its model, its link to the daemon, the Safety view, the rule and policy documents, its commands and notifications. */
import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { registerSafetyCommands, resetBreaker } from './safety-commands';
import { POLICY_DOCUMENT, RULES_DOCUMENT } from './safety-documents';
import { SafetyFeed } from './safety-feed';
import { SAFETY_SCHEME, SafetyFileSystem } from './safety-file-system';
import { SafetyModel } from './safety-model';
import { SafetyNotifier } from './safety-notifier';
import { SafetyView } from './safety-view';

/** What the feature hands back: the model, view and documents, for the in-host tests. */
export interface SafetyApi {
  model: SafetyModel;
  view: SafetyView;
  files: SafetyFileSystem;
}

/** Registers everything on the extension's subscriptions. */
export function registerSafety(services: ExtensionServices): SafetyApi {
  const model = new SafetyModel();
  const feed = new SafetyFeed(services.connection, model, services.log);
  const view = new SafetyView(model);
  const files = new SafetyFileSystem(services);
  const tree = vscode.window.createTreeView('switchboard.safety', { treeDataProvider: view });
  const notifier = new SafetyNotifier(services.log, services.extension.workspaceState, {
    show: (target) => {
      const node = view.find(target);
      void (node ? tree.reveal(node, { select: true, focus: true }) : vscode.commands.executeCommand('switchboard.safety.focus'));
    },
    resetBreaker: (name) => void resetBreaker(services, model, name),
  });
  const onState = () => view.setConnected(services.connection.state === 'connected');
  services.connection.on('state', onState);
  onState();
  services.extension.subscriptions.push(
    view,
    tree,
    files,
    vscode.workspace.registerFileSystemProvider(SAFETY_SCHEME, files, { isCaseSensitive: true }),
    model.onDidChange((change) => {
      notifier.onChange(change);
      if (change.versions.rules !== undefined) files.liveVersion(RULES_DOCUMENT, change.versions.rules);
      if (change.versions.policy !== undefined) files.liveVersion(POLICY_DOCUMENT, change.versions.policy);
    }),
    ...registerSafetyCommands(services, model, feed),
    { dispose: () => services.connection.off('state', onState) },
    { dispose: () => feed.dispose() },
    { dispose: () => model.dispose() },
  );
  return { model, view, files };
}
