/** Answering approvals: from the palette (QuickPick, a question's answer, then an optional reason), inline in the view, or a notification. */
import * as vscode from 'vscode';
import { answerFromText } from '../../protocol/answer-text';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { Approval } from '../../protocol/types';
import type { ExtensionServices } from '../context';
import { ageText } from '../../common/time-format';
import { confirmDone } from '../confirm';
import { responderName } from '../settings';

/** Arguments a caller (a test, a notification, a view item) may pass to skip the prompts. */
export interface AnswerArgs {
  requestId?: string;
  /** A string skips the reason prompt ("" = no reason). */
  reason?: string;
  /** A question's answer: skips its prompt. */
  answer?: unknown;
}

/** `selected`: the Approvals view's selected row, for a click on it (its command carries no arguments, see ApprovalsView). */
export function registerApprovalCommands(services: ExtensionServices, selected: () => Approval | undefined): vscode.Disposable[] {
  const answer = (approved: boolean) => (arg?: AnswerArgs | Approval) => answerApproval(services, approved, arg);
  return [
    vscode.commands.registerCommand('switchboard.approve', answer(true)),
    vscode.commands.registerCommand('switchboard.reject', answer(false)),
    vscode.commands.registerCommand('switchboard.approval.approve', (item: Approval) => answerApproval(services, true, { requestId: item.requestId, reason: '' })),
    vscode.commands.registerCommand('switchboard.approval.reject', (item: Approval) => answerApproval(services, false, { requestId: item.requestId })),
    vscode.commands.registerCommand('switchboard.approval.open', (item?: Approval) => {
      const approval = item ?? selected();
      if (approval) services.showApproval(approval);
    }),
  ];
}

export async function answerApproval(services: ExtensionServices, approved: boolean, arg?: AnswerArgs | Approval): Promise<Approval | undefined> {
  const verb = approved ? 'Approve' : 'Reject';
  const requestId = arg?.requestId ?? (await pickApproval(services, verb));
  if (!requestId) return undefined;
  const answer = approved ? await promptAnswer(services, requestId, arg) : undefined;
  if (answer === ESCAPED) return undefined;
  const given = arg && 'reason' in arg && typeof arg.reason === 'string' ? arg.reason : undefined;
  const reason =
    given ??
    (await vscode.window.showInputBox({
      title: `${verb}: reason (optional)`,
      prompt: 'Why? Recorded with your answer; Enter to skip.',
      ignoreFocusOut: true,
    }));
  if (reason === undefined) return undefined; // Esc
  try {
    const decided = await services.client().approvals.respond({ requestId, approved, responder: responderName(), reason: reason || undefined, answer });
    const answered = decided.answer === undefined ? '' : `: ${JSON.stringify(decided.answer)}`;
    confirmDone(services, `${decided.status} "${decided.type}" for ${decided.agentId}${answered}`, `request ${requestId}`);
    return decided;
  } catch (error) {
    const message = error instanceof RpcError && error.code === ErrorCode.Conflict ? `already answered: ${error.message}` : (error as Error).message;
    void vscode.window.showWarningMessage(`Switchboard: could not ${verb.toLowerCase()}: ${message}`);
    return undefined;
  }
}

const ESCAPED = Symbol('escaped');

/**
 * A question's answer: a QuickPick of its choices, or an InputBox for an answer schema (JSON, or
 * plain text; the daemon checks it against the schema and a refusal shows as a warning). Left
 * empty, the daemon answers the default if the question has one. Not a question: undefined.
 */
async function promptAnswer(services: ExtensionServices, requestId: string, arg?: AnswerArgs | Approval): Promise<unknown> {
  if (arg && 'answer' in arg && arg.answer !== undefined) return arg.answer;
  const approval = services.store.approvals.get(requestId) ?? (await services.client().approvals.get({ requestId }));
  if (!approval || (approval.choices === undefined && approval.answerSchema === undefined)) return undefined;
  const context = approval.context as { question?: unknown } | null;
  const question = typeof context?.question === 'string' ? context.question : `Answer "${approval.type}" for ${approval.agentId}`;
  const fallback = approval.default === undefined ? '' : ` (nothing: the default ${JSON.stringify(approval.default)})`;
  if (approval.choices !== undefined) {
    const picked = await vscode.window.showQuickPick(approval.choices, { title: question, placeHolder: `Your answer${fallback}`, ignoreFocusOut: true });
    return picked ?? ESCAPED;
  }
  const text = await vscode.window.showInputBox({
    title: question,
    prompt: `${approval.answerSchema!.type === 'string' ? 'Your answer' : 'Your answer as JSON (plain text is taken as a string)'}${fallback}`,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' && approval.default === undefined ? 'An answer is needed: this question has no default' : undefined),
  });
  if (text === undefined) return ESCAPED;
  return text.trim() === '' ? undefined : answerFromText(approval, text);
}

async function pickApproval(services: ExtensionServices, verb: string): Promise<string | undefined> {
  const now = Date.now();
  const items = [...services.store.approvals.values()]
    .sort((a, b) => a.expiresAt - b.expiresAt)
    .map((approval) => ({
      label: `${approval.type} · ${approval.agentId}`,
      description: `${approval.risk} risk · ${ageText(approval.expiresAt - now)} left`,
      detail: JSON.stringify(approval.context),
      requestId: approval.requestId,
    }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Switchboard: no approval is waiting.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: `${verb} Pending Request`, placeHolder: 'Which request?', matchOnDetail: true });
  return picked?.requestId;
}
