/**
 * A workflow step whose job went dead, told in proportion (docs/ux.md): information, since the
 * run waits (or carries on without it) until someone retries it; once per run in 10 minutes,
 * naming the run, the step and its error, with Retry Step and Open Graph. Every failure goes to
 * the log. The dead job itself is not told again as a queue's (DeadJobNotifier leaves step jobs
 * to this). Only live pushes tell: a window reload does not repeat them.
 */
import * as vscode from 'vscode';
import type { WorkflowStepEvent } from '../../protocol/types';
import type { Logger } from '../../common/logger';
import { FAILURE_WINDOW_MS } from '../notifications';
import { notificationsOn } from '../settings';

export interface StepFailureActions {
  runName(workflowId: string): string;
  retryStep(workflowId: string, step: string): void;
  openGraph(workflowId: string): void;
}

export class StepFailureNotifier {
  /** Per run: when a failure of it was last told. */
  private readonly toldAt = new Map<string, number>();

  constructor(
    private readonly log: Logger,
    private readonly actions: StepFailureActions,
  ) {}

  onStepFailed({ workflowId, step }: WorkflowStepEvent): void {
    const name = this.actions.runName(workflowId);
    const error = step.error ?? 'no error given';
    this.log.warn(`workflow ${name}: step ${step.name} failed after ${step.attempts} attempt${step.attempts === 1 ? '' : 's'}: ${error}`);
    if (!notificationsOn('workflowFailures')) return;
    const now = Date.now();
    if (now - (this.toldAt.get(workflowId) ?? -Infinity) < FAILURE_WINDOW_MS) return;
    for (const [run, at] of this.toldAt) if (now - at >= FAILURE_WINDOW_MS) this.toldAt.delete(run);
    this.toldAt.set(workflowId, now);
    void vscode.window
      .showInformationMessage(`Switchboard: step “${step.name}” of workflow “${name}” failed: ${error}`, 'Retry Step', 'Open Graph')
      .then((choice) => {
        if (choice === 'Retry Step') this.actions.retryStep(workflowId, step.name);
        else if (choice === 'Open Graph') this.actions.openGraph(workflowId);
      });
  }
}
