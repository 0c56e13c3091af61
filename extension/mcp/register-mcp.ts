/**
 * The editor side of `switchboard mcp`: "Switchboard: Copy MCP Config…" for the common MCP clients,
 * and the server registered with VS Code itself where the host has the MCP server definition API.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { confirmDone } from '../confirm';
import type { ExtensionServices } from '../context';
import { connectionSettings } from '../settings';
import { MCP_CLIENTS, mcpConfigText, mcpLaunch, type LaunchSettings, type McpClientConfig } from './mcp-config';
import { registerMcpServerDefinition, type McpHost } from './mcp-definition';

export function registerMcp(services: ExtensionServices): vscode.Disposable[] {
  const cliPath = join(services.extension.extensionPath, 'dist', 'cli.js');
  const settings = (): LaunchSettings => {
    const { daemonUrl, stateDir } = connectionSettings();
    return { cliPath, daemonUrl: daemonUrl ?? '', stateDir };
  };
  const changed = new vscode.EventEmitter<void>();
  const definition = registerMcpServerDefinition(vscode as unknown as McpHost, {
    // VS Code starts it with its own Node: the Electron binary run as Node, as the daemon is.
    launch: () => mcpLaunch({ ...settings(), node: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } }),
    version: (services.extension.extension.packageJSON as { version: string }).version,
    onDidChange: (listener) => changed.event(listener),
  });
  services.log.info('registered' in definition ? 'mcp: the Switchboard MCP server is registered with VS Code' : `mcp: ${definition.unavailable}; Copy MCP Config… gives a config instead`);
  return [
    changed,
    ...('registered' in definition ? [definition.registered] : []),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('switchboard.daemonUrl') || event.affectsConfiguration('switchboard.stateDir')) changed.fire();
    }),
    vscode.commands.registerCommand('switchboard.copyMcpConfig', async () => {
      const picked = await vscode.window.showQuickPick(
        MCP_CLIENTS.map((client) => ({ label: client.label, detail: client.detail, client })),
        { title: 'Copy the Switchboard MCP server config for', placeHolder: 'the MCP client that will run switchboard mcp' },
      );
      if (picked) await copy(services, picked.client, settings());
    }),
  ];
}

async function copy(services: ExtensionServices, client: McpClientConfig, settings: LaunchSettings): Promise<void> {
  await vscode.env.clipboard.writeText(mcpConfigText(client.id, mcpLaunch(settings)));
  confirmDone(services, `copied ${client.copied} for ${client.label.replace(/ \(.*\)$/, '')} to the clipboard`, settings.cliPath);
}
