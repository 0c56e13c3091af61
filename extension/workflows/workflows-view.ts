/**
 * The Workflows view: a row per run (newest first) with its state, progress and age, and under it
 * its steps with their state, attempts, timing and queue (read when the row is expanded, again
 * when a push says the run moved). A row is redrawn only when what it shows changes (docs/ux.md);
 * `refreshTimes` redraws the rows whose age or running time moved on the clock. Tooltips are built on hover.
 */
import * as vscode from 'vscode';
import { RUN_LOOK, STEP_LOOK, type StateLook } from '../../common/workflow-look';
import type { WorkflowStep, WorkflowSummary } from '../../protocol/types';
import { describeRun, describeStep, runTooltip, stepTooltip } from './workflow-display';
import type { WorkflowFeed } from './workflow-feed';
import type { WorkflowModel } from './workflow-model';

export type WorkflowNode = { kind: 'run'; workflowId: string } | { kind: 'step'; workflowId: string; step: string };

export class WorkflowsView implements vscode.TreeDataProvider<WorkflowNode>, vscode.Disposable {
  private connected = false;
  private readonly changed = new vscode.EventEmitter<WorkflowNode | WorkflowNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One node per row, kept: VS Code refreshes and reveals elements by identity. */
  private readonly nodes = new Map<string, WorkflowNode>();
  /** Each row's text as last drawn, and each expanded run's step names, to redraw only what changed. */
  private readonly drawn = new Map<string, string | undefined>();
  private readonly drawnSteps = new Map<string, string>();
  private listed = '';
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: WorkflowModel,
    private readonly feed: WorkflowFeed,
  ) {
    this.subscription = model.onDidChange((change) => {
      const ids = this.model.workflows().map((summary) => summary.workflowId).join('\n');
      if (change.workflows === 'all' || ids !== this.listed) return this.changed.fire(undefined);
      const redraw: WorkflowNode[] = [];
      for (const workflowId of change.workflows) {
        const stepNames = this.stepNames(workflowId);
        if (this.drawnSteps.has(workflowId) && this.drawnSteps.get(workflowId) !== stepNames) redraw.push(this.run(workflowId));
        else redraw.push(...this.stale([this.run(workflowId), ...this.stepNodes(workflowId)]));
      }
      if (redraw.length > 0) this.changed.fire(redraw);
    });
  }

  setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    if (!connected) this.changed.fire(undefined);
  }

  /** Redraws the rows whose text moved with the clock (ages, running times). */
  refreshTimes(now = Date.now()): void {
    const rows = [...this.drawn.keys()].map((key) => this.nodes.get(key)).filter((node): node is WorkflowNode => node !== undefined);
    const redraw = this.stale(rows, now);
    if (redraw.length > 0) this.changed.fire(redraw);
  }

  run(workflowId: string): WorkflowNode & { kind: 'run' } {
    return this.node(`run:${workflowId}`, () => ({ kind: 'run', workflowId })) as WorkflowNode & { kind: 'run' };
  }

  /** The row was collapsed: its steps are no longer read before a push. */
  collapsed(node: WorkflowNode): void {
    if (node.kind !== 'run') return;
    this.model.unwatch(node.workflowId);
    this.drawnSteps.delete(node.workflowId);
  }

  async getChildren(element?: WorkflowNode): Promise<WorkflowNode[]> {
    if (!this.connected) return [];
    if (!element) {
      const runs = this.model.workflows();
      this.listed = runs.map((summary) => summary.workflowId).join('\n');
      return runs.map((summary) => this.run(summary.workflowId));
    }
    if (element.kind !== 'run') return [];
    this.model.watch(element.workflowId);
    if (!this.model.workflow(element.workflowId)) await this.feed.load(element.workflowId);
    this.drawnSteps.set(element.workflowId, this.stepNames(element.workflowId));
    return this.stepNodes(element.workflowId);
  }

  getParent(element: WorkflowNode): WorkflowNode | undefined {
    return element.kind === 'step' ? this.run(element.workflowId) : undefined;
  }

  getTreeItem(node: WorkflowNode): vscode.TreeItem {
    if (node.kind === 'run') {
      const summary = this.model.summaries.get(node.workflowId);
      if (!summary) return new vscode.TreeItem(node.workflowId);
      this.drawn.set(key(node), this.text(node));
      return runItem(summary);
    }
    const step = this.step(node);
    if (!step) return new vscode.TreeItem(node.step);
    this.drawn.set(key(node), this.text(node));
    return stepItem(node.workflowId, step);
  }

  resolveTreeItem(item: vscode.TreeItem, node: WorkflowNode): vscode.TreeItem {
    const summary = this.model.summaries.get(node.workflowId);
    const step = node.kind === 'step' ? this.step(node) : undefined;
    if (node.kind === 'run' && summary) item.tooltip = new vscode.MarkdownString(runTooltip(summary));
    if (step) item.tooltip = new vscode.MarkdownString(stepTooltip(step));
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private node(id: string, make: () => WorkflowNode): WorkflowNode {
    let node = this.nodes.get(id);
    if (!node) this.nodes.set(id, (node = make()));
    return node;
  }

  private stepNodes(workflowId: string): WorkflowNode[] {
    const steps = this.model.workflow(workflowId)?.steps ?? [];
    return steps.map((step) => this.node(`step:${workflowId}:${step.name}`, () => ({ kind: 'step', workflowId, step: step.name })));
  }

  private stepNames(workflowId: string): string {
    return (this.model.workflow(workflowId)?.steps ?? []).map((step) => step.name).join('\n');
  }

  private step(node: WorkflowNode & { kind: 'step' }): WorkflowStep | undefined {
    return this.model.workflow(node.workflowId)?.steps.find((step) => step.name === node.step);
  }

  /** What a row shows, as one string: its description (its icon and menu follow its state, which the text starts with). */
  private text(node: WorkflowNode, now = Date.now()): string | undefined {
    if (node.kind === 'run') {
      const summary = this.model.summaries.get(node.workflowId);
      return summary && describeRun(summary, now);
    }
    const step = this.step(node);
    return step && describeStep(step, now);
  }

  /** The drawn rows among these whose text changed. */
  private stale(nodes: WorkflowNode[], now = Date.now()): WorkflowNode[] {
    return nodes.filter((node) => this.drawn.has(key(node)) && this.drawn.get(key(node)) !== this.text(node, now));
  }
}

function key(node: WorkflowNode): string {
  return node.kind === 'run' ? `run:${node.workflowId}` : `step:${node.workflowId}:${node.step}`;
}

function icon(look: StateLook): vscode.ThemeIcon {
  // A running run or step turns, as VS Code's own progress does.
  return new vscode.ThemeIcon(look.icon === 'sync' ? 'sync~spin' : look.icon, new vscode.ThemeColor(look.color));
}

function runItem(summary: WorkflowSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(summary.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `run:${summary.workflowId}`;
  item.description = describeRun(summary);
  item.iconPath = icon(RUN_LOOK[summary.status]);
  item.contextValue = `workflow.${summary.status}`;
  item.accessibilityInformation = { label: `workflow ${summary.name}, ${item.description}` };
  return item;
}

function stepItem(workflowId: string, step: WorkflowStep): vscode.TreeItem {
  const item = new vscode.TreeItem(step.name);
  item.id = `step:${workflowId}:${step.name}`;
  item.description = describeStep(step);
  item.iconPath = icon(STEP_LOOK[step.state]);
  item.contextValue = `workflowStep.${step.state}`;
  item.accessibilityInformation = { label: `step ${step.name}, ${item.description}` };
  return item;
}
