/** `breakers` and `breaker reset` (circuit breakers), `budgets` and `budget set` (token and cost budgets). */
import { InvalidArgumentError, type Command } from 'commander';
import { ageText } from '../common/time-format';
import type { Breaker, Budget } from '../protocol/types';
import { daemonCommand, parseInteger, print, printJson, withClient } from './client-commands';
import { table } from './table';

export function registerBreakerBudgetCommands(program: Command): void {
  daemonCommand(program, 'breakers')
    .description('every circuit breaker that has seen a failure (agent:<name>, tool:<name>) and its state')
    .action(withClient(async (client, flags) => {
      const breakers = await client.breakers.list();
      return flags.json ? printJson(breakers) : print(breakers.length ? breakersTable(breakers) : 'no breaker has seen a failure');
    }));

  daemonCommand(program.command('breaker').description('circuit breaker commands'), 'reset <name>')
    .description('close a breaker and clear its counts')
    .action(withClient(async (client, flags, _o: object, name: string) => {
      const breaker = await client.breakers.reset({ name });
      return flags.json ? printJson(breaker) : print(`closed ${breaker.name}`);
    }));

  daemonCommand(program, 'budgets')
    .description("every budget with this period's use")
    .action(withClient(async (client, flags) => {
      const budgets = await client.budgets.list();
      return flags.json ? printJson(budgets) : print(budgets.length ? budgetsTable(budgets) : 'no budgets');
    }));

  daemonCommand(program.command('budget').description('budget commands'), 'set <scope>')
    .description('set the token and/or cost budget of agent:<name> or workflow:<id> per period')
    .option('--tokens <n>', 'tokens allowed per period', parseInteger)
    .option('--cost <usd>', 'US dollars allowed per period', parseDollars)
    .requiredOption('--period <seconds>', 'length of a period (periods are aligned to multiples of it since the epoch)', parseInteger)
    .action(withClient(async (client, flags, o: { tokens?: number; cost?: number; period: number }, scope: string) => {
      const budget = await client.budgets.set({ scope, tokens: o.tokens, costUsd: o.cost, periodSeconds: o.period });
      return flags.json ? printJson(budget) : print(budgetsTable([budget]));
    }));
}

function parseDollars(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number of dollars above 0');
  return n;
}

function breakersTable(breakers: Breaker[]): string {
  const now = Date.now();
  return table(
    ['NAME', 'STATE', 'FAILURES', 'OPENED', 'RETRY IN'],
    breakers.map((b) => [
      b.name,
      b.state,
      String(b.failures),
      b.openedAt === undefined ? '' : `${ageText(now - b.openedAt)} ago`,
      b.retryAt === undefined ? '' : ageText(b.retryAt - now),
    ]),
  );
}

function budgetsTable(budgets: Budget[]): string {
  const now = Date.now();
  const of = (used: number, limit: number | undefined, text: (n: number) => string) => (limit === undefined ? '-' : `${text(used)} / ${text(limit)}`);
  const dollars = (n: number) => `$${n.toFixed(4)}`;
  return table(
    ['SCOPE', 'STATE', 'TOKENS', 'COST', 'PERIOD', 'RESETS IN'],
    budgets.map((b) => [
      b.scope,
      b.state,
      of(b.used.tokens, b.tokens, String),
      of(b.used.costUsd, b.costUsd, dollars),
      `${b.periodSeconds}s`,
      ageText(b.periodStart + b.periodSeconds * 1000 - now),
    ]),
  );
}
