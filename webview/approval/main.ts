/** The approval webview: the request, readable; a live countdown; a question's answer; a reason; Approve / Reject. Read-only once answered anywhere. */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeTextarea } from '@vscode-elements/elements/dist/vscode-textarea/vscode-textarea.js';
import { approvalTitle } from '../../protocol/approval-title';
import type { Approval } from '../../protocol/types';
import { duration, h, renderJson } from '../shared/dom';
import { HostChannel } from '../shared/host-channel';
import type { ApprovalProtocol } from './protocol';
import { isQuestion, questionPart, verdictText, type QuestionPart } from './question';

/** Saved so that VS Code can bring the panel back after a window reload (see ApprovalPanels.restore). */
interface SavedState {
  requestId: string;
}

const host = new HostChannel<ApprovalProtocol, SavedState>();
const app = document.getElementById('app')!;
let shownId: string | undefined;
let clockOffset = 0;
let ticker: ReturnType<typeof setInterval> | undefined;
let question: QuestionPart | undefined;

const parts = {
  countdown: h('p', { class: 'countdown', id: 'countdown' }),
  verdict: h('p', { class: 'verdict', id: 'verdict', hidden: true }),
  reason: h('vscode-textarea', { id: 'reason', rows: '3', placeholder: 'Optional: recorded with your answer', 'aria-label': 'Reason' }) as VscodeTextarea,
  approve: h('vscode-button', { id: 'approve', icon: 'check' }, 'Approve') as VscodeButton,
  reject: h('vscode-button', { id: 'reject', icon: 'close', secondary: true }, 'Reject') as VscodeButton,
  error: h('p', { class: 'error', id: 'error', role: 'alert' }),
};

host.on('show', ({ approval, now }) => {
  clockOffset = now - Date.now();
  if (approval.requestId !== shownId) build(approval);
  host.saveState({ requestId: approval.requestId });
  update(approval);
});
host.on('decided', ({ approval }) => update(approval));

parts.approve.addEventListener('click', () => void answer(true, question?.typed()));
parts.reject.addEventListener('click', () => void answer(false));

function build(approval: Approval): void {
  shownId = approval.requestId;
  question = isQuestion(approval) ? questionPart(approval, (choice) => void answer(true, choice)) : undefined;
  // A choice button is the answer; a text answer is sent with Answer. Reject declines the question.
  parts.approve.hidden = approval.choices !== undefined;
  parts.approve.textContent = question ? 'Answer' : 'Approve';
  parts.reject.textContent = question ? 'Decline' : 'Reject';
  app.replaceChildren(
    h('header', {},
      h('h1', {}, approval.type),
      h('vscode-badge', { class: `risk risk-${approval.risk}`, id: 'risk' }, `${approval.risk} risk`),
    ),
    h('p', { class: 'meta' }, 'Requested by ', h('strong', { id: 'requester' }, approval.agentId), ` at ${new Date(approval.requestedAt).toLocaleTimeString()}`),
    parts.countdown,
    parts.verdict,
    h('section', { class: 'context', 'aria-label': 'Context' }, h('h2', {}, 'Context'), renderJson(approval.context),
      h('details', {}, h('summary', {}, 'Raw JSON'), h('pre', {}, JSON.stringify(approval.context, null, 2)))),
    ...(question ? [question.element] : []),
    h('vscode-label', { for: 'reason' }, 'Reason'),
    parts.reason,
    h('div', { class: 'actions' }, parts.approve, parts.reject),
    parts.error,
  );
}

function update(approval: Approval): void {
  const pending = approval.status === 'pending';
  // The page's own title too (a restored page is loaded before the request is read, as "Approval").
  document.title = approvalTitle(approval);
  parts.approve.disabled = parts.reject.disabled = parts.reason.disabled = !pending;
  question?.setDisabled(!pending);
  app.classList.toggle('decided', !pending);
  clearInterval(ticker);
  if (pending) {
    const tick = () => {
      const left = approval.expiresAt - (Date.now() + clockOffset);
      parts.countdown.textContent = left > 0 ? `Expires in ${duration(left)}` : 'Time is up: expiring…';
      parts.countdown.classList.toggle('urgent', left < 60_000);
    };
    tick();
    ticker = setInterval(tick, 1000);
    parts.countdown.hidden = false;
    parts.verdict.hidden = true;
    return;
  }
  parts.countdown.hidden = true;
  parts.verdict.hidden = false;
  parts.verdict.className = `verdict verdict-${approval.status}`;
  parts.verdict.textContent = verdictText(approval);
  parts.error.textContent = '';
}

async function answer(approved: boolean, given?: unknown): Promise<void> {
  const controls = (disabled: boolean) => {
    parts.approve.disabled = parts.reject.disabled = disabled;
    question?.setDisabled(disabled);
  };
  controls(true);
  parts.error.textContent = '';
  question?.invalid(undefined);
  try {
    update(await host.request('respond', { approved, reason: parts.reason.value, ...(approved && given !== undefined ? { answer: given } : {}) }));
  } catch (error) {
    const message = (error as Error).message;
    // The daemon names the field it refused: an answer's reason goes under the answer.
    if (question && /\banswer\b/.test(message)) question.invalid(message);
    else parts.error.textContent = message;
    controls(false);
  }
}

// Until the host sends the request (a panel restored after a reload waits for the daemon): not a blank page.
app.replaceChildren(h('p', { class: 'loading', id: 'loading' }, 'Loading this request from the Switchboard daemon…'));
host.notify('ready', {});
