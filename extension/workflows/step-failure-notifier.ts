/**
 * A workflow step whose job went dead, told in proportion (docs/ux.md): information, since the
 * run waits (or carries on without it) until someone retries it; once per run in 10 minutes,
 * naming the run, the step and its error, with Retry Step and Open Graph. Every failure goes to
 * the log. The dead job itself is not told again as a queue's: DeadJobNotifier asks `received`
 * (its job.dead push comes first, from the same script, and its toast waits for the queue
 * model's batch). Only live pushes tell: a window reload does not repeat them.
 */
import * as vscode from 'vscode';
import type { WorkflowStepEvent } from '../../protocol/types';
import type { Logger } from '../../common/logger';
import { ToldWindow } from '../model/told-window';
import { notificationsOn } from '../settings';

export interface StepFailureActions {
  runName(workflowId: string): string;
  retryStep(workflowId: string, step: string): void;
  openGraph(workflowId: string): void;
}

export class StepFailureNotifier {
  /** The runs whose failures were told. */
  private readonly runsTold = new ToldWindow();
  /** The jobs whose step failures arrived. */
  private readonly failedJobs = new ToldWindow();

  constructor(
    private readonly log: Logger,
    private readonly actions: StepFailureActions,
  ) {}

  /** Whether a step failure of this job arrived in the last window (its dead job is then the step's to tell). */
  received(jobId: string): boolean {
    return this.failedJobs.toldAgoMs(jobId) !== undefined;
  }

  onStepFailed({ workflowId, step }: WorkflowStepEvent): void {
    if (step.jobId !== undefined) this.failedJobs.firstTime(step.jobId);
    const name = this.actions.runName(workflowId);
    const error = step.error ?? 'no error given';
    this.log.warn(`workflow ${name}: step ${step.name} failed after ${step.attempts} attempt${step.attempts === 1 ? '' : 's'}: ${error}`);
    if (!notificationsOn('workflowFailures')) return;
    if (!this.runsTold.firstTime(workflowId)) {
      this.log.info(`workflow ${name}: not told again (a failure of this run was told ${Math.round(this.runsTold.toldAgoMs(workflowId)! / 1000)} s ago)`);
      return;
    }
    void vscode.window
      .showInformationMessage(`Switchboard: step “${step.name}” of workflow “${name}” failed: ${error}`, 'Retry Step', 'Open Graph')
      .then((choice) => {
        if (choice === 'Retry Step') this.actions.retryStep(workflowId, step.name);
        else if (choice === 'Open Graph') this.actions.openGraph(workflowId);
      });
  }
}

