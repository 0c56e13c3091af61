/**
 * Dead jobs, told in proportion (docs/ux.md): a job going dead needs no answer now (it waits in
 * its queue for a replay), so it is an information message, once per queue per window (across
 * a window reload too: what was told is kept in the workspace state), naming
 * the queue, how many and the last error, with Show Queue; the jobs after it in that window go
 * to the log only. A burst of dead jobs of one queue is one message. A workflow step's job whose
 * failure the Workflows feature received is not told here: it is the step's (step-failure-notifier.ts).
 */
import * as vscode from 'vscode';
import type { Job } from '../../protocol/types';
import { ToldWindow } from '../model/told-window';
import { notificationsOn } from '../settings';
import { deadJobLabel } from './queue-display';

/** Where the told queues are kept: a window reload starts a new extension host, and must not tell them again. */
const TOLD_KEY = 'switchboard.deadJobsTold';

export class DeadJobNotifier {
  /** The queues whose dead jobs were told. */
  private readonly told: ToldWindow;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    workspaceState: vscode.Memento,
    private readonly showQueue: (queue: string) => void,
    private readonly toldAsStepFailure: (jobId: string) => boolean,
  ) {
    this.told = new ToldWindow({ memento: workspaceState, key: TOLD_KEY });
  }

  onDead(jobs: Job[]): void {
    const byQueue = new Map<string, Job[]>();
    for (const job of jobs) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
    for (const [queue, dead] of byQueue) {
      const last = dead.at(-1)!;
      this.log.warn(`${queue}: ${dead.length === 1 ? `job ${last.jobId} went dead` : `${dead.length} jobs went dead`} after ${last.attempts} of ${last.maxAttempts} attempts: ${deadJobLabel(last)}`);
      const queueJobs = dead.filter((job) => !this.toldAsStepFailure(job.jobId));
      if (queueJobs.length > 0 && notificationsOn('deadJobs')) this.tell(queue, queueJobs);
    }
  }

  private tell(queue: string, dead: Job[]): void {
    // Within the window the log line above is all: the Queues view counts them.
    if (!this.told.firstTime(queue)) return;
    const what = dead.length === 1 ? 'A job' : `${dead.length} jobs`;
    const message = `Switchboard: ${what} of “${queue}” went dead: ${deadJobLabel(dead.at(-1)!)}`;
    void vscode.window.showInformationMessage(message, 'Show Queue').then((choice) => choice && this.showQueue(queue));
  }
}
