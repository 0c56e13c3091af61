/**
 * Hosts the workflow graph webviews: one panel per run (opening a run's graph again reveals its
 * panel), restored after a window reload. Each load of a page gets the run as the model holds it
 * (read first if it is not loaded); then the run is sent again whenever the model says it changed,
 * while the panel is visible (a hidden page is thrown away and its next load gets it anew).
 */
import * as vscode from 'vscode';
import type { OutcomeEvent } from '../../protocol/types';
import { GRAPH_ACTIONS, type WorkflowGraphProtocol } from '../../webview/workflow-graph/protocol';
import type { ExtensionServices } from '../context';
import { WebviewHost, webviewHtml, webviewOptions } from '../webviews/webview-host';
import type { WorkflowFeed } from './workflow-feed';
import type { WorkflowModel } from './workflow-model';
import type { WorkflowNode } from './workflows-view';

export const WORKFLOW_GRAPH_VIEW_TYPE = 'switchboard.workflowGraph';
/** Outcomes of the run read to find a step's: the newest, as outcome.recent keeps them. */
const OUTCOMES_READ = 200;

interface OpenGraph {
  panel: vscode.WebviewPanel;
  host: WebviewHost<WorkflowGraphProtocol>;
}

export class WorkflowGraphPanels implements vscode.Disposable {
  private readonly open = new Map<string, OpenGraph>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: WorkflowModel,
    private readonly feed: WorkflowFeed,
  ) {
    this.subscription = model.onDidChange((change) => {
      for (const [workflowId, graph] of this.open) {
        if (graph.panel.visible && (change.workflows === 'all' || change.workflows.has(workflowId))) this.send(workflowId, graph);
      }
    });
  }

  show(workflowId: string): void {
    const graph = this.open.get(workflowId);
    if (graph) return graph.panel.reveal();
    const title = this.title(workflowId);
    this.attach(workflowId, vscode.window.createWebviewPanel(WORKFLOW_GRAPH_VIEW_TYPE, title, vscode.ViewColumn.Active, webviewOptions(this.services.extension.extensionUri)));
  }

  /** A panel VS Code kept from before a window reload, with the run its page saved. */
  restore(panel: vscode.WebviewPanel, workflowId: string | undefined): void {
    if (!workflowId || this.open.has(workflowId)) return panel.dispose();
    panel.webview.options = webviewOptions(this.services.extension.extensionUri);
    this.attach(workflowId, panel);
  }

  dispose(): void {
    this.subscription.dispose();
    for (const graph of this.open.values()) graph.panel.dispose();
  }

  private attach(workflowId: string, panel: vscode.WebviewPanel): void {
    const { extension } = this.services;
    panel.iconPath = vscode.Uri.joinPath(extension.extensionUri, 'dist', 'media', 'switchboard.svg');
    const host = new WebviewHost<WorkflowGraphProtocol>(
      panel.webview,
      {
        stepOutcomes: ({ step }) => this.stepOutcomes(workflowId, step),
        // The view's own commands, with the row the button stands for: one confirmation, one way of telling the result.
        act: async ({ action, step }) => {
          // The page names a command of ours: only those four, whatever a page sends.
          if (!GRAPH_ACTIONS.includes(action)) throw new Error(`unknown action "${String(action)}"`);
          const node: WorkflowNode = step === undefined ? { kind: 'run', workflowId } : { kind: 'step', workflowId, step };
          await vscode.commands.executeCommand(`switchboard.workflow.${action}`, node);
          return null;
        },
      },
      () => void this.loaded(workflowId),
    );
    const graph = { panel, host };
    host.load(panel, () => webviewHtml(panel.webview, extension.extensionUri, 'workflow-graph', this.title(workflowId)));
    this.open.set(workflowId, graph);
    this.model.watch(workflowId);
    panel.onDidDispose(() => {
      host.dispose();
      this.open.delete(workflowId);
      this.model.unwatch(workflowId);
    });
  }

  private async loaded(workflowId: string): Promise<void> {
    if (!this.model.workflow(workflowId) && this.services.connection.state === 'connected') await this.feed.load(workflowId);
    const graph = this.open.get(workflowId);
    if (graph) this.send(workflowId, graph);
  }

  private send(workflowId: string, graph: OpenGraph): void {
    graph.panel.title = this.title(workflowId);
    graph.host.notify('workflow', { workflowId, workflow: this.model.workflow(workflowId) ?? null });
  }

  private async stepOutcomes(workflowId: string, step: string): Promise<OutcomeEvent[]> {
    const outcomes = await this.services.client().outcomes.recent({ workflowId, count: OUTCOMES_READ });
    return outcomes.filter((outcome) => outcome.correlationId === `${workflowId}:${step}`);
  }

  private title(workflowId: string): string {
    return `Workflow: ${this.model.summaries.get(workflowId)?.name ?? workflowId}`;
  }
}
