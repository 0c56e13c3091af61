/** `policy get|set` (the tool policy), `tools` (the registry) and `check` (what policy.check answers for a call). */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { UserError } from '../common/user-error';
import type { PolicyDecision, SafetyPolicy, ToolSpec } from '../protocol/types';
import { daemonCommand, parseJson, print, printJson, withClient } from './client-commands';
import { table } from './table';

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('the tool policy: who may call which tool, how often, what needs approval');

  daemonCommand(policy, 'get')
    .description('print the live policy and its version (0: the built-in default)')
    .action(withClient(async (client, flags) => {
      const doc = await client.policy.get();
      if (flags.json) return printJson(doc);
      const by = doc.updatedBy ? ` by ${doc.updatedBy}` : '';
      print(`version ${doc.version}${doc.updatedAt ? ` (set ${new Date(doc.updatedAt).toISOString()}${by})` : ' (built-in default)'}`);
      print(JSON.stringify(doc.policy, null, 2));
    }));

  daemonCommand(policy, 'set <file>')
    .description('replace the policy with the JSON in FILE (refused whole if invalid)')
    .option('--expected-version <n>', 'the version it replaces (default: the live one); another is a conflict', parseVersion)
    .action(withClient(async (client, flags, options: { expectedVersion?: number }, file: string) => {
      const document = readPolicy(file);
      const expectedVersion = options.expectedVersion ?? (await client.policy.get()).version;
      const { version } = await client.policy.set({ policy: document, expectedVersion, by: 'switchboard-cli' });
      return flags.json ? printJson({ version }) : print(`policy version ${version}`);
    }));

  daemonCommand(program, 'tools')
    .description('registered tool versions: flags, status, last use')
    .action(withClient(async (client, flags) => {
      const tools = await client.tools.list();
      return flags.json ? printJson(tools) : print(tools.length ? toolsTable(tools) : 'no tools registered');
    }));

  daemonCommand(program, 'check <agent> <tool>')
    .description('what the policy says about AGENT calling TOOL (name or name:version) now; takes a rate-limit token like a real check')
    .option('--args <json>', 'the call arguments (a JSON object)', parseJson)
    .action(withClient(async (client, flags, options: { args?: unknown }, agentId: string, tool: string) => {
      if (options.args !== undefined && (typeof options.args !== 'object' || options.args === null || Array.isArray(options.args))) {
        throw new UserError('--args must be a JSON object');
      }
      const decision = await client.policy.check({ agentId, tool, ...(options.args ? { args: options.args as Record<string, unknown> } : {}) });
      return flags.json ? printJson(decision) : print(`${verdict(decision)}: ${decision.reason}`);
    }));
}

function readPolicy(file: string): SafetyPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as SafetyPolicy;
  } catch (error) {
    throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function parseVersion(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return n;
}

function verdict(decision: PolicyDecision): string {
  if (!decision.allowed) return 'denied';
  return decision.requiresApproval ? 'needs approval' : 'allowed';
}

function toolsTable(tools: ToolSpec[]): string {
  const rows = tools.map((t) => [t.name, t.version, t.flags.join(',') || '-', t.status, t.lastUsedAt ? new Date(t.lastUsedAt).toISOString() : 'never']);
  return table(['NAME', 'VERSION', 'FLAGS', 'STATUS', 'LAST USED'], rows);
}
