/** The safety commands: validate, rules get|set, audit. */
import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { DIRECTIONS, type Direction } from '../protocol/safety';
import type { AuditEntry, PushedEvent, ValidationResult } from '../protocol/types';
import { daemonCommand, parseInteger, print, printJson, untilInterrupted, withClient } from './client-commands';
import { readRulesFile } from './rules-file';
import { table, truncate } from './table';

export function registerSafetyCommands(program: Command): void {
  daemonCommand(program, 'validate [text]')
    .description('check a text against the live rules (stdin when no text is given); exit 1 when it is blocked')
    .option('--direction <d>', 'input (to an agent) or output (from one); default both directions\' rules', parseDirection)
    .option('--agent <id>', 'the agent the text comes from or goes to')
    .action(withClient(async (client, flags, o: { direction?: Direction; agent?: string }, text?: string) => {
      const result = await client.safety.validate({ text: text ?? (await readStdin()), direction: o.direction, agentId: o.agent });
      if (flags.json) printJson(result);
      else print(validationLines(result));
      if (result.level === 'blocked') process.exitCode = 1;
    }));

  const rules = program.command('rules').description('the live validator rule set');
  daemonCommand(rules, 'get')
    .description('print the live rule set with its version, as JSON (a file `rules set` takes)')
    .action(withClient(async (client) => printJson(await client.safety.rulesGet())));
  daemonCommand(rules, 'set <file>')
    .description('replace the live rule set with the file\'s (a JSON array of rules, or {"rules": [...]}), compare-and-set')
    .option('--expected-version <n>', 'the version it replaces (default: the live one, read first)', parseVersion)
    .option('--as <name>', 'who makes the change, for the audit trail', `${userInfo().username}@cli`)
    .action(withClient(async (client, flags, o: { expectedVersion?: number; as: string }, file: string) => {
      const set = readRulesFile(file);
      const expectedVersion = o.expectedVersion ?? (await client.safety.rulesGet()).version;
      const { version } = await client.safety.rulesSet({ rules: set, expectedVersion, by: o.as });
      return flags.json ? printJson({ version }) : print(`rule set version ${version} is live (${set.length} rules, was ${expectedVersion})`);
    }));

  daemonCommand(program, 'audit')
    .description('the safety audit trail (decisions and changes, never the content), newest last; --follow prints safety events as they come')
    .option('--count <n>', 'how many entries', parseInteger, 20)
    .option('--kind <kind>', 'only entries of this kind (blocked, warned, rules_changed…)')
    .option('--follow', 'keep printing safety events')
    .action(withClient(async (client, flags, o: { count: number; kind?: string; follow?: boolean }) => {
      const entries = await client.safety.audit({ count: o.count, kind: o.kind });
      if (flags.json && !o.follow) return printJson(entries);
      if (flags.json) for (const entry of entries) print(JSON.stringify(entry));
      else print(auditTable(entries));
      if (!o.follow) return;
      await client.subscribe(['safety'], (event: PushedEvent) => print(flags.json ? JSON.stringify(event) : eventLine(event)));
      process.stderr.write('following safety events (Ctrl-C to stop)\n');
      await untilInterrupted();
    }));
}

function validationLines(result: ValidationResult): string {
  const lines = [`level        ${result.level} (score ${result.score}, rules version ${result.rulesVersion})`];
  for (const f of result.findings) lines.push(`finding      ${f.start}-${f.end} ${f.ruleId} [${f.category}, ${f.severity}, ${f.action}]: ${f.message}`);
  if (result.requiresApproval) lines.push('approval     required (an approve rule matched)');
  if (result.redacted !== undefined) lines.push(`redacted     ${result.redacted}`);
  if (result.alternative !== undefined) lines.push(`alternative  ${result.alternative}`);
  return lines.join('\n');
}

function auditTable(entries: AuditEntry[]): string {
  const rows = entries.map((e) => [new Date(e.ts).toISOString(), e.kind, e.subject ?? '', e.agentId ?? '', truncate(JSON.stringify(e.detail), 80)]);
  return rows.length ? table(['TIME', 'KIND', 'SUBJECT', 'AGENT', 'DETAIL'], rows) : 'no audit entries';
}

function eventLine(event: PushedEvent): string {
  return `${new Date(event.ts).toISOString()}  ${event.type}  ${truncate(JSON.stringify(event.data), 100)}`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseDirection(text: string): Direction {
  if (!(DIRECTIONS as readonly string[]).includes(text)) throw new InvalidArgumentError(`must be one of ${DIRECTIONS.join(', ')}`);
  return text as Direction;
}

function parseVersion(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return n;
}
