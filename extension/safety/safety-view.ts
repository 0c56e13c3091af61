/**
 * The Safety view: three groups, always listed while connected — Blocked & warned (newest
 * first), Breakers (by name, Reset inline on an open or half-open one) and Budgets (a bar and
 * the percentage) — each with a row that says what to do while it is empty. A change redraws
 * only the groups it touched; tooltips are built on hover.
 */
import * as vscode from 'vscode';
import type { Breaker, Budget } from '../../protocol/types';
import type { Incident } from './incidents';
import {
  breakerLook,
  breakerTooltip,
  budgetLevel,
  budgetLook,
  budgetTooltip,
  describeBreaker,
  describeBudget,
  describeIncident,
  incidentAccessible,
  incidentLabel,
  incidentLook,
  incidentTooltip,
  percent,
  budgetFraction,
  type Look,
} from './safety-display';
import type { SafetyGroup, SafetyModel } from './safety-model';

export type SafetyNode =
  | { kind: 'group'; group: SafetyGroup }
  | { kind: 'incident'; incident: Incident }
  | { kind: 'breaker'; breaker: Breaker }
  | { kind: 'budget'; budget: Budget }
  /** The row an empty (or unavailable) group shows. */
  | { kind: 'empty'; group: SafetyGroup };

const GROUPS: Record<SafetyGroup, { label: string; icon: string }> = {
  incidents: { label: 'Blocked & warned', icon: 'shield' },
  breakers: { label: 'Breakers', icon: 'debug-disconnect' },
  budgets: { label: 'Budgets', icon: 'pie-chart' },
};

const EMPTY: Record<SafetyGroup, { label: string; tooltip: string }> = {
  incidents: {
    label: 'Nothing blocked or warned yet',
    tooltip: 'Signal payloads, approval contexts, outcome outputs and published events are checked against the safety rules; what a rule blocks or warns about shows here. Edit the rules with the shield-pencil action above.',
  },
  breakers: {
    label: 'No breaker has tripped',
    tooltip: "An agent's or a tool's failing outcomes open its circuit breaker; it shows here, with Reset.",
  },
  budgets: {
    label: 'No budget set',
    tooltip: 'Set a token or cost budget per agent or workflow with the SDK (`budgets.set({scope, tokens, periodSeconds})`) or the CLI; its use shows here as a bar.',
  },
};

export class SafetyView implements vscode.TreeDataProvider<SafetyNode>, vscode.Disposable {
  private connected = false;
  private readonly changed = new vscode.EventEmitter<SafetyNode | SafetyNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One node per group, kept: VS Code refreshes and reveals elements by identity. */
  private readonly groups = new Map<SafetyGroup, SafetyNode & { kind: 'group' }>();
  /** The rows' nodes by id, likewise kept (their data replaced in place). */
  private readonly rowNodes = new Map<string, SafetyNode>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly model: SafetyModel) {
    this.subscription = model.onDidChange((change) => {
      if (change.groups.size > 0) this.changed.fire([...change.groups].map((group) => this.group(group)));
    });
  }

  setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.changed.fire(undefined);
  }

  group(group: SafetyGroup): SafetyNode & { kind: 'group' } {
    let node = this.groups.get(group);
    if (!node) this.groups.set(group, (node = { kind: 'group', group }));
    return node;
  }

  getChildren(element?: SafetyNode): SafetyNode[] {
    if (!this.connected) return [];
    if (!element) return (['incidents', 'breakers', 'budgets'] as const).map((group) => this.group(group));
    if (element.kind !== 'group') return [];
    const rows = this.rows(element.group);
    return rows.length > 0 ? rows : [{ kind: 'empty', group: element.group }];
  }

  getParent(element: SafetyNode): SafetyNode | undefined {
    switch (element.kind) {
      case 'group':
        return undefined;
      case 'incident':
        return this.group('incidents');
      case 'breaker':
        return this.group('breakers');
      case 'budget':
        return this.group('budgets');
      default:
        return this.group(element.group);
    }
  }

  getTreeItem(node: SafetyNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return this.groupItem(node.group);
      case 'incident':
        return incidentItem(node.incident);
      case 'breaker':
        return breakerItem(node.breaker);
      case 'budget':
        return budgetItem(node.budget);
      default:
        return this.emptyItem(node.group);
    }
  }

  resolveTreeItem(item: vscode.TreeItem, node: SafetyNode): vscode.TreeItem {
    if (node.kind === 'incident') item.tooltip = new vscode.MarkdownString(incidentTooltip(node.incident));
    if (node.kind === 'breaker') item.tooltip = new vscode.MarkdownString(breakerTooltip(node.breaker));
    if (node.kind === 'budget') item.tooltip = new vscode.MarkdownString(budgetTooltip(node.budget, this.model.asOf.get('budgets')), true);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** The row of an incident (by key), a breaker or a budget (by name), if the model has it: to reveal it. */
  find(target: { incident?: string; breaker?: string; budget?: string }): SafetyNode | undefined {
    const { incident, breaker, budget } = target;
    if (incident !== undefined) return this.rows('incidents').find((node) => node.kind === 'incident' && node.incident.key === incident);
    if (breaker !== undefined) return this.rows('breakers').find((node) => node.kind === 'breaker' && node.breaker.name === breaker);
    if (budget !== undefined) return this.rows('budgets').find((node) => node.kind === 'budget' && node.budget.scope === budget);
    return undefined;
  }

  private rows(group: SafetyGroup): SafetyNode[] {
    const rows: [string, SafetyNode][] =
      group === 'incidents'
        ? this.model.incidents().map((incident) => [`incident:${incident.key}`, { kind: 'incident', incident }])
        : group === 'breakers'
          ? this.model.breakerList().map((breaker) => [`breaker:${breaker.name}`, { kind: 'breaker', breaker }])
          : this.model.budgetList().map((budget) => [`budget:${budget.scope}`, { kind: 'budget', budget }]);
    // Rows gone from the model (older incidents cut off, a snapshot without them) are forgotten.
    const listed = new Set(rows.map(([id]) => id));
    for (const [id, node] of this.rowNodes) if (this.getParent(node) === this.group(group) && !listed.has(id)) this.rowNodes.delete(id);
    return rows.map(([id, fresh]) => this.row(id, fresh));
  }

  private row(id: string, fresh: SafetyNode): SafetyNode {
    const node = this.rowNodes.get(id);
    if (!node) {
      this.rowNodes.set(id, fresh);
      return fresh;
    }
    Object.assign(node, fresh);
    return node;
  }

  private groupItem(group: SafetyGroup): vscode.TreeItem {
    const item = new vscode.TreeItem(GROUPS[group].label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `group:${group}`;
    item.iconPath = new vscode.ThemeIcon(GROUPS[group].icon);
    item.description = this.groupDescription(group);
    item.contextValue = `safety.group.${group}`;
    item.accessibilityInformation = { label: [GROUPS[group].label, item.description].filter(Boolean).join(', ') };
    return item;
  }

  /** What needs a look, counted: open breakers, budgets past 80 %; incidents by number. */
  private groupDescription(group: SafetyGroup): string {
    if (this.model.unavailable.has(group)) return '';
    if (group === 'incidents') return count(this.model.incidents().length, 'recent');
    if (group === 'breakers') return count(this.model.breakerList().filter((breaker) => breaker.state !== 'closed').length, 'open');
    return count(this.model.budgetList().filter((budget) => budgetLevel(budget) !== 'ok').length, 'past 80 %');
  }

  private emptyItem(group: SafetyGroup): vscode.TreeItem {
    const unavailable = this.model.unavailable.has(group);
    const item = new vscode.TreeItem(unavailable ? 'Not available from this daemon' : EMPTY[group].label);
    item.id = `empty:${group}`;
    item.iconPath = new vscode.ThemeIcon(unavailable ? 'debug-disconnect' : 'info');
    item.tooltip = unavailable ? 'The daemon did not answer for this group (an older daemon, or an error): the Switchboard log says which.' : EMPTY[group].tooltip;
    item.contextValue = 'safety.empty';
    item.accessibilityInformation = { label: item.label as string };
    return item;
  }
}

function count(n: number, what: string): string {
  return n === 0 ? '' : `${n} ${what}`;
}

function themed(look: Look): vscode.ThemeIcon {
  return new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
}

function incidentItem(incident: Incident): vscode.TreeItem {
  const item = new vscode.TreeItem(incidentLabel(incident));
  item.id = `incident:${incident.key}`;
  item.description = describeIncident(incident);
  item.iconPath = themed(incidentLook(incident));
  item.contextValue = `safety.incident.${incident.kind}`;
  item.accessibilityInformation = { label: incidentAccessible(incident) };
  return item;
}

function breakerItem(breaker: Breaker): vscode.TreeItem {
  const item = new vscode.TreeItem(breaker.name);
  item.id = `breaker:${breaker.name}`;
  item.description = describeBreaker(breaker);
  item.iconPath = themed(breakerLook(breaker));
  item.contextValue = `breaker.${breaker.state}`;
  item.accessibilityInformation = { label: `breaker ${breaker.name}, ${item.description}` };
  return item;
}

function budgetItem(budget: Budget): vscode.TreeItem {
  const item = new vscode.TreeItem(budget.scope);
  item.id = `budget:${budget.scope}`;
  item.description = describeBudget(budget);
  item.iconPath = themed(budgetLook(budget));
  item.contextValue = `budget.${budgetLevel(budget)}`;
  item.accessibilityInformation = { label: `budget ${budget.scope}, ${percent(budgetFraction(budget))} used, ${budgetLevel(budget)}` };
  return item;
}
