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
import { PanelSet } from '../webviews/panel-set';
import { WebviewHost, webviewHtml } from '../webviews/webview-host';
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
  /** One per run; one restored after a window reload shows the run its page saved. */
  private readonly open: PanelSet<OpenGraph>;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: WorkflowModel,
    private readonly feed: WorkflowFeed,
  ) {
    this.open = new PanelSet<OpenGraph>({
      viewType: WORKFLOW_GRAPH_VIEW_TYPE,
      extensionUri: services.extension.extensionUri,
      stateKey: 'workflowId',
      attach: (panel, workflowId) => this.attach(workflowId, panel),
      closed: (workflowId) => this.model.unwatch(workflowId),
    });
    this.subscription = model.onDidChange((change) => {
      for (const [workflowId, graph] of this.open.entries()) {
        if (graph.panel.visible && (change.workflows === 'all' || change.workflows.has(workflowId))) this.send(workflowId, graph);
      }
    });
  }

  show(workflowId: string): void {
    this.open.show(this.title(workflowId), workflowId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.open.dispose();
  }

  private attach(workflowId: string, panel: vscode.WebviewPanel): OpenGraph {
    const { extension } = this.services;
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
    host.load(panel, () => webviewHtml(panel.webview, extension.extensionUri, 'workflow-graph', this.title(workflowId)));
    this.model.watch(workflowId);
    return { panel, host };
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
