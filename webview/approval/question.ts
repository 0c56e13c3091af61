/**
 * The answer part of a question (docs/approvals.md "Questions"): one button per choice, or a text
 * field for an answer schema (JSON, or plain text for a string schema; the daemon checks it
 * against the schema and a refusal shows under the field), and the default an expiry answers.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeTextarea } from '@vscode-elements/elements/dist/vscode-textarea/vscode-textarea.js';
import { answerFromText } from '../../protocol/answer-text';
import type { Approval } from '../../protocol/types';
import { h } from '../shared/dom';

export interface QuestionPart {
  element: HTMLElement;
  /** The answer the field holds (undefined when empty: the daemon then takes the default, if any). */
  typed(): unknown;
  /** Marks the field invalid with the daemon's reason, or clears it. */
  invalid(message: string | undefined): void;
  setDisabled(disabled: boolean): void;
}

export const isQuestion = (approval: Approval): boolean => approval.choices !== undefined || approval.answerSchema !== undefined;

/** `choose`: called with the choice a button stands for. */
export function questionPart(approval: Approval, choose: (choice: string) => void): QuestionPart {
  const question = typeof approval.context === 'object' && approval.context !== null ? (approval.context as { question?: unknown }).question : undefined;
  const defaultLine =
    approval.default === undefined ? null : h('p', { class: 'meta', id: 'default' }, `If nobody answers in time: ${JSON.stringify(approval.default)}`);
  const heading = h('h2', { id: 'question' }, typeof question === 'string' ? question : 'Answer');
  if (approval.choices !== undefined) {
    const buttons = approval.choices.map((choice, i) => {
      const button = h('vscode-button', { class: 'choice', id: `choice-${i}` }, choice) as VscodeButton;
      button.addEventListener('click', () => choose(choice));
      return button;
    });
    return {
      element: h('section', { class: 'question', 'aria-label': 'Question' }, heading, h('div', { class: 'actions choices', role: 'group', 'aria-label': 'Choices' }, ...buttons), defaultLine),
      typed: () => undefined,
      invalid: () => undefined,
      setDisabled: (disabled) => buttons.forEach((b) => (b.disabled = disabled)),
    };
  }
  const schema = approval.answerSchema!;
  const field = h('vscode-textarea', {
    id: 'answer',
    rows: '3',
    placeholder: schema.type === 'string' ? 'Your answer' : 'Your answer as JSON (plain text is taken as a string)',
    'aria-label': 'Answer',
  }) as VscodeTextarea;
  const fieldError = h('p', { class: 'error', id: 'answer-error', role: 'alert' });
  return {
    element: h('section', { class: 'question', 'aria-label': 'Question' }, heading, field, fieldError, defaultLine,
      h('details', {}, h('summary', {}, 'Answer schema'), h('pre', { id: 'answer-schema' }, JSON.stringify(schema, null, 2)))),
    typed: () => (field.value.trim() === '' ? undefined : answerFromText(approval, field.value)),
    invalid: (message) => {
      field.invalid = message !== undefined;
      fieldError.textContent = message ?? '';
    },
    setDisabled: (disabled) => (field.disabled = disabled),
  };
}

/** The verdict line of a decided request, with its answer. */
export function verdictText(approval: Approval): string {
  const answer = approval.answer === undefined ? '' : ` “${typeof approval.answer === 'string' ? approval.answer : JSON.stringify(approval.answer)}”`;
  if (approval.status === 'expired') {
    return answer ? `Expired without an answer: took the default${answer}.` : 'Expired without an answer (treated as rejected).';
  }
  const by = approval.responder ?? 'someone';
  const why = approval.reason ? `: “${approval.reason}”` : '';
  if (approval.status === 'approved') return answer ? `Answered${answer} by ${by}${why}.` : `Approved by ${by}${why}.`;
  return `${isQuestion(approval) ? 'Declined' : 'Rejected'} by ${by}${why}.`;
}
