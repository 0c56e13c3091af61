/**
 * The MCP server configs "Switchboard: Copy MCP Config…" puts on the clipboard: each MCP client's
 * way of saying "run `switchboard mcp` over stdio". The command runs the CLI bundled in the
 * installed extension (dist/cli.js) with `node`, so it works without a global install. Plain
 * TypeScript (no vscode import) so it is tested in Node.
 */
import { defaultStateDir } from '../../common/state-dir';

/** The MCP server's name in every config. */
export const MCP_SERVER_NAME = 'switchboard';

/** How an MCP client starts the server: a command, its arguments, extra environment. */
export interface McpLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface LaunchSettings {
  /** The bundled CLI (the extension's dist/cli.js). */
  cliPath: string;
  /** The editor's switchboard.daemonUrl ('' for the local daemon). */
  daemonUrl: string;
  /** The state dir the editor uses (its setting, or the default). */
  stateDir: string;
  /** The Node to run it with; default `node` on the PATH of the MCP client. */
  node?: string;
  /** Extra environment (the editor's own registration runs its Electron as Node). */
  env?: Record<string, string>;
}

/**
 * The server pointed at the editor's daemon: `--url` when the editor names one, and the state dir
 * (token, daemon.json) in SWITCHBOARD_STATE_DIR when it is not the one `switchboard mcp` would
 * find by itself — an MCP client started outside the editor does not have the editor's settings.
 */
export function mcpLaunch(settings: LaunchSettings): McpLaunch {
  const env: Record<string, string> = { ...settings.env };
  const plainDefault = defaultStateDir({ XDG_STATE_HOME: process.env.XDG_STATE_HOME, HOME: process.env.HOME });
  if (settings.stateDir !== plainDefault) env.SWITCHBOARD_STATE_DIR = settings.stateDir;
  const args = [settings.cliPath, 'mcp', ...(settings.daemonUrl ? ['--url', settings.daemonUrl] : [])];
  return { command: settings.node ?? 'node', args, env };
}

export type McpClientId = 'claude-code-cli' | 'claude-code-json' | 'vscode' | 'cursor';

export interface McpClientConfig {
  id: McpClientId;
  /** The quick pick's row. */
  label: string;
  detail: string;
  /** What the confirmation says was copied. */
  copied: string;
}

export const MCP_CLIENTS: readonly McpClientConfig[] = [
  { id: 'claude-code-cli', label: 'Claude Code', detail: 'a claude mcp add command line to run in the project', copied: 'the claude mcp add command line' },
  { id: 'claude-code-json', label: 'Claude Code (.mcp.json)', detail: 'a .mcp.json block, shared with the project', copied: 'a .mcp.json block' },
  { id: 'vscode', label: 'VS Code', detail: 'a .vscode/mcp.json block (agent mode)', copied: 'a .vscode/mcp.json block' },
  { id: 'cursor', label: 'Cursor', detail: 'a .cursor/mcp.json block', copied: 'a .cursor/mcp.json block' },
];

/** The text to copy for one client; `platform` decides the command line's quoting. */
export function mcpConfigText(client: McpClientId, launch: McpLaunch, platform: NodeJS.Platform = process.platform): string {
  const env = Object.keys(launch.env).length > 0 ? { env: launch.env } : {};
  switch (client) {
    case 'claude-code-cli': {
      const quote = platform === 'win32' ? windowsQuote : posixQuote;
      const envFlags = Object.entries(launch.env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
      // Claude Code's options go before the server's name, the server's command after `--`.
      return ['claude', 'mcp', 'add', '--transport', 'stdio', ...envFlags, MCP_SERVER_NAME, '--', launch.command, ...launch.args].map(quote).join(' ');
    }
    case 'claude-code-json':
      return json({ mcpServers: { [MCP_SERVER_NAME]: { type: 'stdio', command: launch.command, args: launch.args, ...env } } });
    case 'vscode':
      return json({ servers: { [MCP_SERVER_NAME]: { type: 'stdio', command: launch.command, args: launch.args, ...env } } });
    case 'cursor':
      return json({ mcpServers: { [MCP_SERVER_NAME]: { command: launch.command, args: launch.args, ...env } } });
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Single quotes around what a POSIX shell would split or expand; a quote inside as '\''. */
function posixQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** Double quotes around what cmd/PowerShell would split (paths with spaces); an inner quote doubled. */
function windowsQuote(word: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(word) ? word : `"${word.replaceAll('"', '""')}"`;
}
