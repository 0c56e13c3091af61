/**
 * The coordination commands: locks (locks and semaphores with their holders), barriers (their
 * arrivals: no holder, token or lease, so a listing of their own), ratelimit take.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { ageText } from '../common/time-format';
import type { BarrierInfo, Lock, SemaphoreInfo } from '../protocol/types';
import { daemonCommand, parseInteger, print, printJson, withClient } from './client-commands';
import { table } from './table';

export function registerCoordinationCommands(program: Command): void {
  daemonCommand(program, 'locks')
    .description('locks held now and semaphores with permits held, with holders, fencing tokens and expiry')
    .action(withClient(async (client, flags) => {
      const [locks, semaphores] = await Promise.all([client.locks.list(), client.semaphores.list()]);
      return flags.json ? printJson({ locks, semaphores }) : print(holdersTable(locks, semaphores));
    }));

  daemonCommand(program, 'barriers')
    .description('barriers with parties waiting now: arrivals of their parties and generation')
    .action(withClient(async (client, flags) => {
      const barriers = await client.barriers.list();
      return flags.json ? printJson(barriers) : print(barriersTable(barriers));
    }));

  const ratelimit = program.command('ratelimit').description('shared rate limits');
  daemonCommand(ratelimit, 'take <key>')
    .description('take tokens from a token bucket every daemon shares')
    .requiredOption('--rate <perSecond>', 'tokens added per second', parsePositive)
    .requiredOption('--burst <n>', 'most tokens the bucket holds', parseInteger)
    .option('--cost <n>', 'tokens to take', parseInteger)
    .action(withClient(async (client, flags, o: { rate: number; burst: number; cost?: number }, key: string) => {
      const taken = await client.ratelimits.take({ key, rate: o.rate, burst: o.burst, cost: o.cost });
      if (flags.json) return printJson(taken);
      return print(taken.allowed ? `allowed, ${taken.remaining} left` : `refused, ${taken.remaining} left, retry in ${taken.retryAfterMs} ms`);
    }));
}

function parsePositive(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0');
  return n;
}

function holdersTable(locks: Lock[], semaphores: SemaphoreInfo[]): string {
  const now = Date.now();
  const left = (expiresAt: number) => `in ${ageText(expiresAt - now)}`;
  const rows = [
    ...locks.map((l) => ['lock', l.name, l.owner, String(l.fencingToken), left(l.expiresAt)]),
    ...semaphores.flatMap((s) => s.holders.map((h) => [`semaphore ${s.holders.length}/${s.limit}`, s.name, h.owner, h.permitId, left(h.expiresAt)])),
  ];
  return rows.length ? table(['KIND', 'NAME', 'HOLDER', 'TOKEN / PERMIT', 'EXPIRES'], rows) : 'no locks or permits held';
}

function barriersTable(barriers: BarrierInfo[]): string {
  const rows = barriers.map((b) => [b.name, `${b.arrived}/${b.parties}`, String(b.generation)]);
  return rows.length ? table(['NAME', 'ARRIVED', 'GENERATION'], rows) : 'no barriers with parties waiting';
}
