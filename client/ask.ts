/** A question for a human (docs/approvals.md "Questions"): an approval request that carries choices or an answer schema, answered in the editor or the CLI. */
import type { Approval } from '../protocol/types';
import type { SwitchboardClient } from './client';

export type AskOptions = {
  agentId: string;
  /** What the human is asked (the request's context is `{question}`). */
  question: string;
  /** Answered when nobody answers within timeoutMs. */
  default?: unknown;
  /** Default: the daemon's approval timeout. */
  timeoutMs?: number;
  /** The request type the editor shows; default "question". */
  type?: string;
  risk?: 'low' | 'medium' | 'high';
} & ({ choices: string[]; answerSchema?: never } | { answerSchema: Record<string, unknown>; choices?: never });

export interface Answer<T> {
  /** The human's answer, or the default on a timeout; undefined when rejected (or expired with no default). */
  answer: T | undefined;
  /** approved: answered; expired: nobody answered in time; rejected: the human declined. */
  status: Approval['status'];
  approval: Approval;
}

/** Asks and waits for the answer (approval.request). */
export async function ask<T = unknown>(client: SwitchboardClient, options: AskOptions): Promise<Answer<T>> {
  const { question, type = 'question', ...rest } = options;
  const approval = await client.approvals.request({ ...rest, type, context: { question } });
  return { answer: approval.answer as T | undefined, status: approval.status, approval };
}
