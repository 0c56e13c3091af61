/**
 * Answering approvals: from the palette (QuickPick, a question's answer, then an optional reason;
 * an answer the daemon refuses is asked again), inline in the view, or a notification.
 */
import * as vscode from 'vscode';
import { answerFromText } from '../../protocol/answer-text';
import { ErrorCode, invalidParamsReason, RpcError } from '../../protocol/errors';
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
  // An answer goes with an approval only (the daemon refuses one with a rejection).
  const givenAnswer = approved && arg && 'answer' in arg ? arg.answer : undefined;
  const question = approved && givenAnswer === undefined ? await questionOf(services, requestId) : undefined;
  let typed = question ? await promptAnswer(question) : undefined;
  if (typed === null) return undefined; // Esc
  const givenReason = arg && 'reason' in arg && typeof arg.reason === 'string' ? arg.reason : undefined;
  const reason =
    givenReason ??
    (await vscode.window.showInputBox({
      title: `${verb}: reason (optional)`,
      prompt: 'Why? Recorded with your answer; Enter to skip.',
      ignoreFocusOut: true,
    }));
  if (reason === undefined) return undefined; // Esc
  for (;;) {
    try {
      const answer = givenAnswer ?? typed?.answer;
      const decided = await services.client().approvals.respond({ requestId, approved, responder: responderName(), reason: reason || undefined, answer });
      const answered = decided.answer === undefined ? '' : `: ${JSON.stringify(decided.answer)}`;
      confirmDone(services, `${decided.status} "${decided.type}" for ${decided.agentId}${answered}`, `request ${requestId}`);
      return decided;
    } catch (error) {
      // A typed answer the daemon refused (the schema's check is the daemon's): asked again, with
      // what was typed and why it was refused; the reason given stays. (A picked choice is never refused.)
      if (question?.answerSchema && typed && refusesAnswer(error)) {
        typed = await promptAnswer(question, { text: typed.text, message: invalidParamsReason(error as RpcError) });
        if (typed === null) return undefined;
        continue;
      }
      const message = error instanceof RpcError && error.code === ErrorCode.Conflict ? `already answered: ${error.message}` : (error as Error).message;
      void vscode.window.showWarningMessage(`Switchboard: could not ${verb.toLowerCase()}: ${message}`);
      return undefined;
    }
  }
}

/** What was typed for a question's answer, and the answer it reads as (undefined: the default). */
interface Typed {
  text: string;
  answer: unknown;
}

/** An approval.respond refusal of the answer itself (not of the request: answered, expired, gone). */
const refusesAnswer = (error: unknown) => error instanceof RpcError && error.code === ErrorCode.InvalidParams && error.data?.field === 'answer';

/** The request when it asks a question (choices or an answer schema), else undefined. */
async function questionOf(services: ExtensionServices, requestId: string): Promise<Approval | undefined> {
  const approval = services.store.approvals.get(requestId) ?? (await services.client().approvals.get({ requestId }));
  return approval && (approval.choices !== undefined || approval.answerSchema !== undefined) ? approval : undefined;
}

/**
 * A question's answer: a QuickPick of its choices, or an InputBox for an answer schema (JSON, or
 * plain text; the daemon checks it against the schema). Left empty, the daemon answers the default
 * if the question has one. `refused`: the text the daemon refused and its reason, shown in the box
 * until the text is changed. Esc: null.
 */
async function promptAnswer(approval: Approval, refused?: { text: string; message: string }): Promise<Typed | null> {
  const context = approval.context as { question?: unknown } | null;
  const question = typeof context?.question === 'string' ? context.question : `Answer "${approval.type}" for ${approval.agentId}`;
  const fallback = approval.default === undefined ? '' : ` (nothing: the default ${JSON.stringify(approval.default)})`;
  if (approval.choices !== undefined) {
    const picked = await vscode.window.showQuickPick(approval.choices, { title: question, placeHolder: `Your answer${fallback}`, ignoreFocusOut: true });
    return picked === undefined ? null : { text: picked, answer: picked };
  }
  const text = await inputBox({
    title: question,
    prompt: `${approval.answerSchema!.type === 'string' ? 'Your answer' : 'Your answer as JSON (plain text is taken as a string)'}${fallback}`,
    value: refused?.text,
    message: refused?.message,
    validate: (value) => {
      if (refused && value === refused.text) return refused.message;
      return value.trim() === '' && approval.default === undefined ? 'An answer is needed: this question has no default' : undefined;
    },
  });
  if (text === undefined) return null;
  return { text, answer: text.trim() === '' ? undefined : answerFromText(approval, text) };
}

/**
 * An InputBox that can open with a message under its text (showInputBox checks only what is typed
 * after it opens): Enter is refused while `validate` has something to say. Esc: undefined.
 */
function inputBox(options: { title: string; prompt: string; value?: string; message?: string; validate(value: string): string | undefined }): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.prompt = options.prompt;
    box.value = options.value ?? '';
    box.validationMessage = options.message;
    box.ignoreFocusOut = true;
    let accepted: string | undefined;
    box.onDidChangeValue((value) => (box.validationMessage = options.validate(value)));
    box.onDidAccept(() => {
      box.validationMessage = options.validate(box.value);
      if (box.validationMessage !== undefined) return;
      accepted = box.value;
      box.hide();
    });
    box.onDidHide(() => {
      box.dispose();
      resolve(accepted);
    });
    box.show();
  });
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
