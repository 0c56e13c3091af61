/** `switchboard mcp`: the stdio MCP server (mcp/server.ts). stdout carries MCP only; logs go to stderr. */
import type { Command } from 'commander';
import { stderrLogger } from '../common/logger';
import { UserError } from '../common/user-error';
import { ID_REGEXP } from '../protocol/limits';
import { DAEMON_VERSION } from '../common/version';

interface McpFlags {
  agentId?: string;
  url?: string;
  token?: string;
  stateDir?: string;
  verbose?: boolean;
}

export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('run an MCP server on stdio: the MCP client (Claude Code, VS Code, Cursor…) joins the fleet as an agent (docs/mcp.md)')
    .option('--agent-id <id>', "the agent's id (default: the MCP client's name plus a short unique suffix)")
    .option('--url <url>', 'daemon WebSocket URL (default: SWITCHBOARD_URL, then <state-dir>/daemon.json; without either a daemon is started)')
    .option('--token <token>', 'daemon token (default: SWITCHBOARD_TOKEN, then <state-dir>/token)')
    .option('--state-dir <dir>', 'where the daemon keeps daemon.json and token')
    .option('--verbose', 'log more to stderr')
    .action(async (flags: McpFlags) => {
      if (flags.agentId !== undefined && !ID_REGEXP.test(flags.agentId)) {
        throw new UserError(`--agent-id must match ${ID_REGEXP.source}, not "${flags.agentId}"`);
      }
      const log = stderrLogger(flags.verbose ?? false);
      // Loaded here, not at the top: the MCP SDK (and zod) would otherwise be evaluated by every command, `daemon` included.
      const [{ connectDaemon }, { runMcpServer }] = await Promise.all([import('../mcp/daemon-link'), import('../mcp/server')]);
      const client = await connectDaemon({
        url: flags.url,
        token: flags.token,
        stateDir: flags.stateDir,
        cliPath: process.argv[1]!,
        clientName: `switchboard-mcp/${DAEMON_VERSION}`,
        log,
      });
      const finalStatus = await runMcpServer({ client, agentId: flags.agentId, log });
      client.close();
      process.exit(finalStatus === 'completed' ? 0 : 1);
    });
}
