/** Agents' details pages: the Agents view's "Show Details" action (the pages restore themselves after a window reload). */
import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import type { AgentTreeNode } from '../model/agent-tree-model';
import { AgentDetailPanels } from './agent-detail-panels';
import { StatusHistory } from './status-history';

export function registerAgentDetail(services: ExtensionServices): { panels: AgentDetailPanels; disposables: vscode.Disposable[] } {
  const history = new StatusHistory(services.store);
  const panels = new AgentDetailPanels(services, history);
  return {
    panels,
    disposables: [
      history,
      panels,
      vscode.commands.registerCommand('switchboard.agent.showDetails', (node: AgentTreeNode) => node.kind === 'agent' && panels.show(node.agentId)),
    ],
  };
}
