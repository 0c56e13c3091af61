import assert from 'node:assert/strict';
import { join } from 'node:path';
import { defaultStateDir } from '../../../common/state-dir';
import { MCP_CLIENTS, mcpConfigText, mcpLaunch } from '../../../extension/mcp/mcp-config';
import { MCP_PROVIDER_ID, registerMcpServerDefinition, type McpHost } from '../../../extension/mcp/mcp-definition';
import { mcpBadge } from '../../../extension/model/agent-display';
import { agent } from './fixtures';

const CLI = '/home/me/.vscode/extensions/switchboard-0.1.0/dist/cli.js';
const plainStateDir = defaultStateDir({ XDG_STATE_HOME: process.env.XDG_STATE_HOME, HOME: process.env.HOME });

describe('MCP config (Copy MCP Config…) and the editor registration', () => {
  const local = mcpLaunch({ cliPath: CLI, daemonUrl: '', stateDir: plainStateDir });

  it('runs the bundled CLI with node, pointed at the editor’s daemon only where it would not find it by itself', () => {
    assert.deepEqual(local, { command: 'node', args: [CLI, 'mcp'], env: {} });
    const elsewhere = mcpLaunch({ cliPath: CLI, daemonUrl: 'ws://10.0.0.2:7420/v1', stateDir: '/srv/sb state' });
    assert.deepEqual(elsewhere, { command: 'node', args: [CLI, 'mcp', '--url', 'ws://10.0.0.2:7420/v1'], env: { SWITCHBOARD_STATE_DIR: '/srv/sb state' } });
  });

  it('gives each client its own shape: a claude mcp add line, .mcp.json, .vscode/mcp.json and .cursor/mcp.json', () => {
    assert.deepEqual(MCP_CLIENTS.map((c) => c.id), ['claude-code-cli', 'claude-code-json', 'vscode', 'cursor']);
    assert.equal(mcpConfigText('claude-code-cli', local, 'linux'), `claude mcp add --transport stdio switchboard -- node ${CLI} mcp`);
    const server = { command: 'node', args: [CLI, 'mcp'] };
    assert.deepEqual(JSON.parse(mcpConfigText('claude-code-json', local)), { mcpServers: { switchboard: { type: 'stdio', ...server } } });
    assert.deepEqual(JSON.parse(mcpConfigText('vscode', local)), { servers: { switchboard: { type: 'stdio', ...server } } });
    assert.deepEqual(JSON.parse(mcpConfigText('cursor', local)), { mcpServers: { switchboard: server } });
  });

  it('quotes what a shell would split, and passes the environment as --env before the name', () => {
    const spaced = mcpLaunch({ cliPath: '/Users/Jo Doe/ext/dist/cli.js', daemonUrl: '', stateDir: "/tmp/it's" });
    assert.equal(
      mcpConfigText('claude-code-cli', spaced, 'darwin'),
      `claude mcp add --transport stdio --env 'SWITCHBOARD_STATE_DIR=/tmp/it'\\''s' switchboard -- node '/Users/Jo Doe/ext/dist/cli.js' mcp`,
    );
    const windows = mcpLaunch({ cliPath: join('C:\\Users\\Jo Doe', 'cli.js'), daemonUrl: '', stateDir: plainStateDir });
    assert.match(mcpConfigText('claude-code-cli', windows, 'win32'), /-- node "C:\\Users\\Jo Doe[\\/]cli\.js" mcp$/);
    assert.deepEqual(JSON.parse(mcpConfigText('cursor', spaced)).mcpServers.switchboard.env, { SWITCHBOARD_STATE_DIR: "/tmp/it's" });
  });

  it('registers the server definition on a host with the MCP API, and nothing (no error) on one without it or with it only as a proposal', () => {
    const source = { launch: () => local, version: '0.1.0', onDidChange: () => ({ dispose() {} }) };
    assert.deepEqual(registerMcpServerDefinition({}, source), { unavailable: 'this VS Code has no MCP server definition API' });
    assert.ok('unavailable' in registerMcpServerDefinition({ lm: {} }, source));
    // VS Code 1.100: the function is there, but only for extensions that enabled the proposal.
    const proposal: McpHost = {
      lm: { registerMcpServerDefinitionProvider: () => { throw new Error('CANNOT use API proposal: mcpConfigurationProvider'); } },
      McpStdioServerDefinition: class {},
    };
    assert.match((registerMcpServerDefinition(proposal, source) as { unavailable: string }).unavailable, /refused .*API proposal/);
    const registered: { id: string; definitions: unknown[] }[] = [];
    class McpStdioServerDefinition {
      constructor(...args: unknown[]) {
        Object.assign(this, { args });
      }
    }
    const host: McpHost = {
      lm: {
        registerMcpServerDefinitionProvider: (id, provider) => {
          registered.push({ id, definitions: provider.provideMcpServerDefinitions() });
          return { dispose() {} };
        },
      },
      McpStdioServerDefinition,
    };
    assert.ok('registered' in registerMcpServerDefinition(host, source));
    assert.equal(registered[0]!.id, MCP_PROVIDER_ID);
    assert.deepEqual(registered[0]!.definitions, [Object.assign(new McpStdioServerDefinition(), { args: ['Switchboard', 'node', [CLI, 'mcp'], {}, '0.1.0'] })]);
  });

  it('badges an agent that joined through MCP with its client’s name, and no other', () => {
    assert.equal(mcpBadge(agent('claude-code-1a2b', { metadata: { via: 'mcp', mcpClient: { name: 'claude-code', version: '1.0.0' } } })), 'MCP · claude-code');
    assert.equal(mcpBadge(agent('anon', { metadata: { via: 'mcp' } })), 'MCP');
    assert.equal(mcpBadge(agent('sdk', { metadata: { via: 'sdk', mcpClient: { name: 'x' } } })), undefined);
    assert.equal(mcpBadge(agent('plain')), undefined);
  });
});
