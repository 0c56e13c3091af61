/**
 * Questions (docs/approvals.md "Questions"): an approval request may carry choices or an answer
 * schema, and a default. These checks run before a script stores anything, so a refused question
 * or answer changes nothing. A question never changes once filed, so checking an answer against
 * the stored question and then recording it in a second script reads nothing stale.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { Approval } from '../../protocol/types';

/** The question part of approval.create / request params. */
export interface Question {
  choices?: string[];
  answerSchema?: Record<string, unknown>;
  default?: unknown;
}

const invalid = (field: string, rule: string, message: string) => new RpcError(ErrorCode.InvalidParams, `invalid params: ${message}`, { field, rule });

/**
 * Strict, as tool schemas are: an unknown keyword refuses the schema rather than checking
 * nothing. One instance per schema, since Ajv keeps every schema's $id.
 */
function compile(schema: Record<string, unknown>): ValidateFunction {
  try {
    return new Ajv({ strict: true, strictTypes: false, validateFormats: false, allErrors: false }).compile(schema);
  } catch (error) {
    throw invalid('answerSchema', 'schema', `answerSchema is not a usable JSON schema: ${(error as Error).message}`);
  }
}

/** Refuses a malformed question (both kinds, a default with no question, a default that is no answer). */
export function checkQuestion(q: Question): void {
  if (q.choices !== undefined && q.answerSchema !== undefined) {
    throw invalid('answerSchema', 'oneQuestion', 'answerSchema and choices cannot go together: a question has one or the other');
  }
  if (q.answerSchema !== undefined) compile(q.answerSchema);
  if (q.default !== undefined) {
    if (q.choices === undefined && q.answerSchema === undefined) throw invalid('default', 'needsQuestion', 'default needs choices or answerSchema');
    checkAnswer(q, q.default, 'default');
  }
}

/** Refuses an answer the question does not take, naming `field`. */
export function checkAnswer(q: Question, answer: unknown, field: string): void {
  if (q.choices !== undefined) {
    if (typeof answer !== 'string' || !q.choices.includes(answer)) {
      throw invalid(field, 'choices', `${field} must be one of the choices: ${q.choices.map((c) => JSON.stringify(c)).join(', ')}`);
    }
  } else if (q.answerSchema !== undefined) {
    const validate = compile(q.answerSchema);
    if (!validate(answer)) {
      const error = validate.errors?.[0];
      throw invalid(field, 'answerSchema', `${field} does not match answerSchema: ${error ? `${error.instancePath || '(root)'} ${error.message}` : 'invalid'}`);
    }
  }
}

/** What approval.respond may carry for this request: an answer only to a question, and only when approving. */
export function checkResponse(request: Approval, approved: boolean, answer: unknown): void {
  const isQuestion = request.choices !== undefined || request.answerSchema !== undefined;
  if (answer === undefined) {
    if (isQuestion && approved && request.default === undefined) throw invalid('answer', 'required', 'answer is required to approve a question without a default');
    return;
  }
  if (!isQuestion) throw invalid('answer', 'noQuestion', `approval request "${request.requestId}" asks no question`);
  if (!approved) throw invalid('answer', 'rejected', 'a rejection carries no answer');
  checkAnswer(request, answer, 'answer');
}
