/**
 * Dead jobs, handled from the Queues view's rows or the palette: Replay one (a row's inline
 * action, or a QuickPick of queue then job), Replay All and Purge (both after a modal that names
 * the queue and the count). Results are confirmed in the status bar and the log (confirm.ts).
 */
import * as vscode from 'vscode';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { Job } from '../../protocol/types';
import { confirmDone } from '../confirm';
import type { ExtensionServices } from '../context';
import { deadJobLabel, describeDeadJob, payloadText } from './queue-display';
import type { QueueModel } from './queue-model';
import type { QueueNode } from './queues-view';

/** Dead jobs fetched per `queue.dead` call while replaying them all. */
const PAGE = 200;
/** Replays sent at once (the daemon bounds a connection's requests in flight). */
const PARALLEL = 20;

export function registerQueueCommands(services: ExtensionServices, model: QueueModel): vscode.Disposable[] {
  const queueOf = (node?: QueueNode) => (node ? Promise.resolve(node.queue) : pickQueue(model));
  return [
    vscode.commands.registerCommand('switchboard.queue.replayJob', (node: QueueNode) => (node.kind === 'job' ? replay(services, node.job) : undefined)),
    vscode.commands.registerCommand('switchboard.replayDeadJob', async () => {
      const queue = await pickQueue(model);
      const job = queue && (await pickDeadJob(services, queue));
      return job ? replay(services, job) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.replayAllDeadJobs', async (node?: QueueNode) => {
      const queue = await queueOf(node);
      return queue ? replayAll(services, model, queue) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.purgeDeadJobs', async (node?: QueueNode) => {
      const queue = await queueOf(node);
      return queue ? purgeDead(services, model, queue) : undefined;
    }),
  ];
}

async function replay(services: ExtensionServices, job: Job): Promise<Job | undefined> {
  try {
    const replayed = await services.client().queues.replay({ queue: job.queue, jobId: job.jobId });
    confirmDone(services, `replayed a dead job of ${job.queue}: waiting again`, `job ${job.jobId}`);
    return replayed;
  } catch (error) {
    void vscode.window.showWarningMessage(`Switchboard: could not replay the job: ${readable(error)}`);
    return undefined;
  }
}

async function replayAll(services: ExtensionServices, model: QueueModel, queue: string): Promise<number | undefined> {
  const count = model.summaries.get(queue)?.dead ?? 0;
  if (!(await confirmModal(`Replay ${jobs(count)} of “${queue}”?`, 'Each goes back to waiting and is delivered again.', 'Replay All'))) return undefined;
  try {
    const client = services.client();
    // Only the jobs dead now: a job that dies again while this runs is not replayed a second time.
    const seen = new Set<string>();
    let replayed = 0;
    while (seen.size < count) {
      const fresh = (await client.queues.dead({ queue, count: PAGE })).filter((job) => !seen.has(job.jobId)).slice(0, count - seen.size);
      if (fresh.length === 0) break;
      for (let i = 0; i < fresh.length; i += PARALLEL) {
        const results = await Promise.allSettled(fresh.slice(i, i + PARALLEL).map((job) => client.queues.replay({ queue, jobId: job.jobId })));
        replayed += results.filter((result) => result.status === 'fulfilled').length;
      }
      for (const job of fresh) seen.add(job.jobId);
    }
    confirmDone(services, `replayed ${jobs(replayed)} of ${queue}: waiting again`);
    return replayed;
  } catch (error) {
    void vscode.window.showWarningMessage(`Switchboard: could not replay the dead jobs of ${queue}: ${readable(error)}`);
    return undefined;
  }
}

async function purgeDead(services: ExtensionServices, model: QueueModel, queue: string): Promise<number | undefined> {
  const count = model.summaries.get(queue)?.dead ?? 0;
  if (!(await confirmModal(`Purge ${jobs(count)} of “${queue}”?`, 'They are deleted and cannot be replayed.', 'Purge'))) return undefined;
  try {
    const { removed } = await services.client().queues.purge({ queue, state: 'dead' });
    confirmDone(services, `purged ${jobs(removed)} of ${queue}`);
    return removed;
  } catch (error) {
    void vscode.window.showWarningMessage(`Switchboard: could not purge the dead jobs of ${queue}: ${readable(error)}`);
    return undefined;
  }
}

async function confirmModal(question: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(question, { modal: true, detail }, action)) === action;
}

/** The queue to act on: the only one with dead jobs, or the user's pick among them. */
async function pickQueue(model: QueueModel): Promise<string | undefined> {
  const withDead = model.queues().filter((summary) => summary.dead > 0);
  if (withDead.length === 0) {
    void vscode.window.showInformationMessage('Switchboard: no queue has dead jobs.');
    return undefined;
  }
  if (withDead.length === 1) return withDead[0]!.queue;
  const items = withDead.map((summary) => ({ label: summary.queue, description: jobs(summary.dead) }));
  return (await vscode.window.showQuickPick(items, { title: 'Dead jobs of which queue?' }))?.label;
}

async function pickDeadJob(services: ExtensionServices, queue: string): Promise<Job | undefined> {
  const dead = await services.client().queues.dead({ queue });
  const items = dead.map((job) => ({
    label: deadJobLabel(job),
    description: describeDeadJob(job),
    detail: payloadText(job.payload).replace(/\s+/g, ' '),
    job,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: `Replay a dead job of ${queue}`, placeHolder: 'Which job? (newest first)', matchOnDetail: true });
  return picked?.job;
}

function jobs(count: number): string {
  return `${count} dead ${count === 1 ? 'job' : 'jobs'}`;
}

function readable(error: unknown): string {
  return error instanceof RpcError && error.code === ErrorCode.Conflict ? `it is no longer dead (replayed or purged already): ${error.message}` : (error as Error).message;
}
