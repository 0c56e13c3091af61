/** The queue commands: queues, queue, enqueue, replay, purge. */
import { InvalidArgumentError, type Command } from 'commander';
import type { ParamsOf } from '../protocol/methods';
import type { Job, QueueStats, QueueSummary } from '../protocol/types';
import { ageText } from '../common/time-format';
import { daemonCommand, parseInteger, parseJson, print, printJson, withClient } from './client-commands';
import { table, truncate } from './table';

type Priority = NonNullable<ParamsOf<'queue.enqueue'>['priority']>;
type PurgeState = ParamsOf<'queue.purge'>['state'];

export function registerQueueCommands(program: Command): void {
  daemonCommand(program, 'queues')
    .description('every queue with its counts')
    .action(withClient(async (client, flags) => {
      const queues = await client.queues.list();
      return flags.json ? printJson(queues) : print(queuesTable(queues));
    }));

  daemonCommand(program, 'queue <name>')
    .description("one queue's counts; --dead lists its dead jobs with their last error")
    .option('--dead', 'list the dead jobs')
    .option('--count <n>', 'most dead jobs to list', parseInteger, 20)
    .action(withClient(async (client, flags, o: { dead?: boolean; count: number }, queue: string) => {
      if (o.dead) {
        const dead = await client.queues.dead({ queue, count: o.count });
        return flags.json ? printJson(dead) : print(deadTable(dead));
      }
      const stats = await client.queues.stats({ queue });
      return flags.json ? printJson(stats) : print(statsLines(queue, stats));
    }));

  daemonCommand(program, 'enqueue <queue>')
    .description('add a job to a queue')
    .option('--payload <json>', 'the job, as JSON', parseJson, null)
    .option('--priority <p>', 'high, normal or low', parsePriority)
    .option('--job-id <id>', 'idempotency key: the same id twice makes one job')
    .option('--delay <ms>', 'hold it this long first', parseInteger)
    .option('--max-attempts <n>', 'deliveries before it goes dead', parseInteger)
    .option('--backoff <type:ms>', 'wait before a retry, e.g. exponential:1000 or fixed:500', parseBackoff)
    .action(withClient(async (client, flags, o: EnqueueFlags, queue: string) => {
      const job = await client.queues.enqueue({
        queue,
        payload: o.payload,
        priority: o.priority,
        jobId: o.jobId,
        delayMs: o.delay,
        maxAttempts: o.maxAttempts,
        backoff: o.backoff,
      });
      return flags.json ? printJson(job) : print(`${job.state} ${job.jobId} on ${job.queue} (${job.priority})`);
    }));

  daemonCommand(program, 'replay <queue> <jobId>')
    .description('put a dead job back in line with fresh attempts')
    .action(withClient(async (client, flags, _o: object, queue: string, jobId: string) => {
      const job = await client.queues.replay({ queue, jobId });
      return flags.json ? printJson(job) : print(`replayed ${job.jobId} on ${job.queue}: ${job.state}`);
    }));

  daemonCommand(program, 'purge <queue>')
    .description('remove every job of one state from a queue (active jobs are never purged)')
    .requiredOption('--state <state>', 'dead, completed, waiting or delayed', parsePurgeState)
    .action(withClient(async (client, flags, o: { state: PurgeState }, queue: string) => {
      const purged = await client.queues.purge({ queue, state: o.state });
      return flags.json ? printJson(purged) : print(`removed ${purged.removed} ${o.state} job(s) from ${queue}`);
    }));
}

interface EnqueueFlags {
  payload: unknown;
  priority?: Priority;
  jobId?: string;
  delay?: number;
  maxAttempts?: number;
  backoff?: ParamsOf<'queue.enqueue'>['backoff'];
}

function oneOf<T extends string>(values: readonly T[]) {
  return (text: string): T => {
    if (!(values as readonly string[]).includes(text)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return text as T;
  };
}

const parsePriority = oneOf<Priority>(['high', 'normal', 'low']);
const parsePurgeState = oneOf<PurgeState>(['dead', 'completed', 'waiting', 'delayed']);

function parseBackoff(text: string): ParamsOf<'queue.enqueue'>['backoff'] {
  const match = /^(exponential|fixed):(\d+)$/.exec(text);
  if (!match) throw new InvalidArgumentError('must be exponential:<ms> or fixed:<ms>');
  return { type: match[1] as 'exponential' | 'fixed', delayMs: Number(match[2]) };
}

function queuesTable(queues: QueueSummary[]): string {
  const rows = queues.map((q) =>
    [q.queue, q.waiting.high, q.waiting.normal, q.waiting.low, q.delayed, q.active, q.dead, q.completedTotal].map(String),
  );
  return rows.length ? table(['QUEUE', 'HIGH', 'NORMAL', 'LOW', 'DELAYED', 'ACTIVE', 'DEAD', 'COMPLETED'], rows) : 'no queues';
}

function statsLines(queue: string, s: QueueStats): string {
  return [
    `queue      ${queue}`,
    `waiting    ${s.waiting.high} high, ${s.waiting.normal} normal, ${s.waiting.low} low`,
    `delayed    ${s.delayed}`,
    `active     ${s.active}`,
    `dead       ${s.dead}`,
    `completed  ${s.completedTotal} (${s.completed} kept)`,
    `maxLength  ${s.maxLength}`,
  ].join('\n');
}

function deadTable(jobs: Job[]): string {
  const now = Date.now();
  const rows = jobs.map((j) => [
    j.jobId,
    `${j.attempts}/${j.maxAttempts}`,
    j.finishedAt ? `${ageText(now - j.finishedAt)} ago` : '',
    truncate((j.lastError ?? '').split('\n', 1)[0]!, 60),
    truncate(JSON.stringify(j.payload), 40),
  ]);
  return rows.length ? table(['JOB', 'ATTEMPTS', 'DIED', 'LAST ERROR', 'PAYLOAD'], rows) : 'no dead jobs';
}
