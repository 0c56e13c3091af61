#!/usr/bin/env node
/** The `switchboard` command: the daemon plus the client commands (exit 0 ok, 1 error, 2 usage). */
import { Command, CommanderError } from 'commander';
import { RpcError } from '../protocol/errors';
import { UserError } from '../common/user-error';
import { DaemonNotFoundError } from '../client/discovery';
import { ConnectionError } from '../client/connection';
import { DAEMON_VERSION } from '../common/version';
import { registerDaemonCommand } from './daemon-command';
import { registerClientCommands } from './client-commands';
import { registerQueueCommands } from './queue-commands';
import { registerCoordinationCommands } from './coordination-commands';
import { registerOutcomeCommands } from './outcome-commands';
import { registerRoutingCommands } from './routing-commands';
import { registerSafetyCommands } from './safety-commands';
import { registerPolicyCommands } from './policy-commands';
import { registerBreakerBudgetCommands } from './breaker-budget-commands';
import { registerFeedbackCommands } from './feedback-commands';
import { registerWorkflowCommands } from './workflow-commands';
import { registerMcpCommand } from './mcp-command';

const program = new Command('switchboard')
  .description('Switchboard: run many AI agents side by side and watch, coordinate and guard them')
  .version(DAEMON_VERSION)
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

registerDaemonCommand(program);
registerClientCommands(program);
registerQueueCommands(program);
registerOutcomeCommands(program);
registerSafetyCommands(program);
registerPolicyCommands(program);
registerBreakerBudgetCommands(program);
registerCoordinationCommands(program);
registerFeedbackCommands(program);
registerWorkflowCommands(program);
registerRoutingCommands(program);
registerMcpCommand(program);
for (const command of program.commands) command.exitOverride();

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // help and version exit 0; everything else commander reports is a usage error
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  const expected = [UserError, RpcError, DaemonNotFoundError, ConnectionError].some((kind) => error instanceof kind);
  const message = expected ? (error as Error).message : ((error as Error).stack ?? String(error));
  process.stderr.write(`switchboard: ${message}\n`);
  process.exit(1);
});
