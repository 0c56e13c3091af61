/**
 * The Safety view's and the palette's commands: Edit Safety Rules and Edit Tool Policy (open the
 * live documents), Refresh (loads the view's snapshot again) and Reset Breaker… (after a modal
 * naming the breaker; from a row's inline action, a notification, or a QuickPick of the open
 * breakers). Results are confirmed in the status bar and the log (confirm.ts).
 */
import * as vscode from 'vscode';
import { confirmDone } from '../confirm';
import type { ExtensionServices } from '../context';
import { breakerSentence, describeBreaker } from './safety-display';
import { POLICY_DOCUMENT, RULES_DOCUMENT, type SafetyDocument } from './safety-documents';
import type { SafetyFeed } from './safety-feed';
import { safetyUri } from './safety-file-system';
import type { SafetyModel } from './safety-model';
import type { SafetyNode } from './safety-view';

export function registerSafetyCommands(services: ExtensionServices, model: SafetyModel, feed: SafetyFeed): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.safety.editRules', () => openDocument(RULES_DOCUMENT)),
    vscode.commands.registerCommand('switchboard.safety.editPolicy', () => openDocument(POLICY_DOCUMENT)),
    vscode.commands.registerCommand('switchboard.safety.refresh', () => feed.refresh()),
    vscode.commands.registerCommand('switchboard.safety.resetBreaker', async (target?: SafetyNode | string) => {
      const name = typeof target === 'string' ? target : target?.kind === 'breaker' ? target.breaker.name : await pickBreaker(model);
      return name ? resetBreaker(services, model, name) : undefined;
    }),
  ];
}

async function openDocument(doc: SafetyDocument): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(safetyUri(doc)), { preview: false });
}

/** Asks first (a modal naming the breaker and what a reset does), then resets it. */
export async function resetBreaker(services: ExtensionServices, model: SafetyModel, name: string): Promise<boolean> {
  const breaker = model.breakers.get(name);
  const detail = `${breaker ? `${breakerSentence(breaker)} ` : ''}A reset closes it now and clears its counts: calls go through again, and new failures open it again.`;
  const answer = await vscode.window.showWarningMessage(`Reset breaker “${name}”?`, { modal: true, detail }, 'Reset');
  if (answer !== 'Reset') return false;
  try {
    model.setBreaker(await services.client().breakers.reset({ name }));
    confirmDone(services, `reset breaker ${name}: closed`);
    return true;
  } catch (error) {
    void vscode.window.showWarningMessage(`Switchboard: could not reset breaker ${name}: ${(error as Error).message}`);
    return false;
  }
}

/** The breaker to reset: the only one not closed, or the user's pick among them. */
async function pickBreaker(model: SafetyModel): Promise<string | undefined> {
  const tripped = model.breakerList().filter((breaker) => breaker.state !== 'closed');
  if (tripped.length === 0) {
    void vscode.window.showInformationMessage('Switchboard: no breaker is open.');
    return undefined;
  }
  if (tripped.length === 1) return tripped[0]!.name;
  const items = tripped.map((breaker) => ({ label: breaker.name, description: describeBreaker(breaker) }));
  return (await vscode.window.showQuickPick(items, { title: 'Reset which breaker?' }))?.label;
}
