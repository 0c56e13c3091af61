/**
 * Registers the Switchboard MCP server with VS Code itself, on versions that have the MCP server
 * definition API (`vscode.lm.registerMcpServerDefinitionProvider` and
 * `vscode.McpStdioServerDefinition`, newer than the @types/vscode the extension builds against).
 * Both are looked up at run time and typed here, so on an older host this registers nothing and
 * the rest of the extension works as before. A host that refuses the registration throws (stock
 * VS Code 1.100, where the API is a proposal the extension does not declare; or a provider id not
 * contributed under the name that host reads: package.json has both names): that is caught too. No vscode import: the caller
 * hands the namespace in, and the tests hand in a stand-in.
 */
import type { McpLaunch } from './mcp-config';

/** The provider id, as contributed in package.json (`mcpServerDefinitionProviders`, and `modelContextServerCollections` for 1.100). */
export const MCP_PROVIDER_ID = 'switchboard.mcp';
export const MCP_SERVER_LABEL = 'Switchboard';

interface Disposable {
  dispose(): unknown;
}
type Event = (listener: () => unknown) => Disposable;

interface McpServerDefinitionProvider {
  onDidChangeMcpServerDefinitions?: Event;
  provideMcpServerDefinitions(): unknown[];
}

/** The parts of a newer `vscode` namespace this uses; each may be missing. */
export interface McpHost {
  lm?: { registerMcpServerDefinitionProvider?: (id: string, provider: McpServerDefinitionProvider) => Disposable };
  McpStdioServerDefinition?: new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => object;
}

export interface McpServerSource {
  /** The launch as of now (settings may have changed since the last call). */
  launch(): McpLaunch;
  /** The extension's version: a new one tells VS Code the tools may have changed. */
  version: string;
  /** Fires when the launch changes (the daemon URL or state dir setting). */
  onDidChange: Event;
}

/** Registers the server definition when the host can; else says why not. */
export function registerMcpServerDefinition(host: McpHost, source: McpServerSource): { registered: Disposable } | { unavailable: string } {
  const register = host.lm?.registerMcpServerDefinitionProvider;
  const Definition = host.McpStdioServerDefinition;
  if (typeof register !== 'function' || typeof Definition !== 'function') return { unavailable: 'this VS Code has no MCP server definition API' };
  try {
    const registered = register.call(host.lm, MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: source.onDidChange,
      provideMcpServerDefinitions: () => {
        const { command, args, env } = source.launch();
        return [new Definition(MCP_SERVER_LABEL, command, args, env, source.version)];
      },
    });
    return { registered };
  } catch (error) {
    return { unavailable: `this VS Code refused the MCP server definition: ${(error as Error).message}` };
  }
}
