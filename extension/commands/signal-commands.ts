/** Sending signals: to one agent (palette or the agent's context menu), to all, and Abort. */
import * as vscode from 'vscode';
import { ID_REGEXP } from '../../protocol/limits';
import type { Signal } from '../../protocol/types';
import { confirmDone } from '../confirm';
import type { ExtensionServices } from '../context';
import type { AgentTreeNode } from '../model/agent-tree-model';
import { describeAgent } from '../model/agent-display';

/** The sender recorded on signals sent from the editor. */
export const EDITOR_SENDER = 'vscode';
export const COMMON_SIGNAL_TYPES = ['pause', 'resume', 'abort', 'task.assigned', 'priority.changed', 'context.updated'];

export interface SendArgs {
  to?: string;
  type?: string;
  payload?: unknown;
  ttlSeconds?: number;
}

export function registerSignalCommands(services: ExtensionServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.sendSignal', (arg?: SendArgs) => sendSignal(services, arg ?? {})),
    vscode.commands.registerCommand('switchboard.broadcastSignal', (arg?: SendArgs) => sendSignal(services, { ...arg, to: '*' })),
    vscode.commands.registerCommand('switchboard.agent.sendSignal', (node: AgentTreeNode) =>
      node.kind === 'agent' ? sendSignal(services, { to: node.agentId }) : undefined,
    ),
    vscode.commands.registerCommand('switchboard.agent.abort', async (node: AgentTreeNode) => {
      if (node.kind !== 'agent') return;
      const ok = await vscode.window.showWarningMessage(
        `Send "abort" to ${node.agentId}?`,
        { modal: true, detail: 'The agent decides how to stop; Switchboard delivers the signal.' },
        'Abort',
      );
      if (ok) await sendSignal(services, { to: node.agentId, type: 'abort', payload: { reason: 'aborted from VS Code' } });
    }),
    vscode.commands.registerCommand('switchboard.agent.copyId', async (node: AgentTreeNode) => {
      if (node.kind === 'agent') await vscode.env.clipboard.writeText(node.agentId);
    }),
    vscode.commands.registerCommand('switchboard.openSignalComposer', (arg?: SendArgs) => services.showSignalComposer(arg?.to)),
  ];
}

export async function sendSignal(services: ExtensionServices, arg: SendArgs): Promise<Signal | undefined> {
  const to = arg.to ?? (await pickAgent(services));
  if (!to) return undefined;
  const type = arg.type ?? (await pickType());
  if (!type) return undefined;
  let payload = arg.payload;
  if (!('payload' in arg)) {
    const text = await vscode.window.showInputBox({
      title: `Signal "${type}" → ${to === '*' ? 'everyone' : to}: payload`,
      prompt: 'JSON payload (empty for none)',
      placeHolder: '{"reason": "…"}',
      validateInput: (value) => (value.trim() === '' ? undefined : jsonError(value)),
      ignoreFocusOut: true,
    });
    if (text === undefined) return undefined;
    payload = text.trim() === '' ? undefined : JSON.parse(text);
  }
  try {
    const client = services.client();
    const params = { from: EDITOR_SENDER, type, payload, ttlSeconds: arg.ttlSeconds };
    const signal = to === '*' ? await client.signals.broadcast(params) : await client.signals.send({ ...params, to });
    confirmDone(services, `sent "${type}" to ${to === '*' ? 'every agent' : to}`);
    return signal;
  } catch (error) {
    void vscode.window.showErrorMessage(`Switchboard: could not send the signal: ${(error as Error).message}`);
    return undefined;
  }
}

export function jsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `Not valid JSON: ${(error as Error).message}`;
  }
}

async function pickAgent(services: ExtensionServices): Promise<string | undefined> {
  const items = [...services.store.agents.values()]
    .filter((a) => a.alive)
    .sort((a, b) => a.agentId.localeCompare(b.agentId))
    .map((a) => ({ label: a.agentId, description: describeAgent(a) }));
  const picked = await vscode.window.showQuickPick([{ label: '*', description: 'every agent (broadcast)' }, ...items], {
    title: 'Send Signal: to which agent?',
    placeHolder: 'Agent id',
  });
  return picked?.label;
}

async function pickType(): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick();
  quickPick.title = 'Send Signal: type';
  quickPick.placeholder = 'A common type, or type your own';
  const common = COMMON_SIGNAL_TYPES.map((label) => ({ label }));
  quickPick.items = common;
  const invalid = '$(error) not a valid type: letters, digits and . _ : @ / - only (1–128)';
  quickPick.onDidChangeValue((value) => {
    const custom = { label: value, description: ID_REGEXP.test(value) ? 'custom type' : invalid };
    quickPick.items = value && !COMMON_SIGNAL_TYPES.includes(value) ? [custom, ...common] : common;
  });
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      const value = quickPick.selectedItems[0]?.label;
      if (value && !ID_REGEXP.test(value)) return; // stays open, the item says why
      resolve(value);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}
