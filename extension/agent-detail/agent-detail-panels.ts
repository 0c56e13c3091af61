/**
 * Hosts agents' details pages: one panel per agent, titled "<agent> · details", restored after a
 * window reload. What it shows comes from the FleetStore (status, stats, signals, approvals), the
 * statuses seen, and the agent's recent failures (outcome.recent on each load, then the pushed
 * outcomes); it is sent again whenever any of it changes for that agent.
 */
import * as vscode from 'vscode';
import { OUTCOME_WINDOW_SECONDS } from '../../protocol/outcome';
import type { OutcomeEvent, PushedEvent } from '../../protocol/types';
import type { AgentDetail, AgentDetailProtocol } from '../../webview/agent-detail/protocol';
import type { ExtensionServices } from '../context';
import type { FleetChange } from '../model/fleet-store';
import { PanelSet } from '../webviews/panel-set';
import { WebviewHost, webviewHtml } from '../webviews/webview-host';
import type { StatusHistory } from './status-history';

export const AGENT_DETAIL_VIEW_TYPE = 'switchboard.agentDetail';
const FAILURES_SHOWN = 20;

interface OpenPanel {
  panel: vscode.WebviewPanel;
  host: WebviewHost<AgentDetailProtocol>;
  /** Newest first; null until read from the daemon. */
  failures: OutcomeEvent[] | null;
  /** What the page shows, as last sent: a beat that changes none of it sends nothing. */
  shown: string;
}

export const agentDetailTitle = (agentName: string) => `${agentName} · details`;

export class AgentDetailPanels implements vscode.Disposable {
  /** One per agent; one restored after a window reload shows the agent its page saved. */
  private readonly panels: PanelSet<OpenPanel>;
  private readonly disposables: { dispose(): void }[] = [];

  constructor(
    private readonly services: ExtensionServices,
    private readonly history: StatusHistory,
  ) {
    this.panels = new PanelSet<OpenPanel>({
      viewType: AGENT_DETAIL_VIEW_TYPE,
      extensionUri: services.extension.extensionUri,
      stateKey: 'agentName',
      attach: (panel, agentName) => this.attach(panel, agentName),
    });
    const onPushed = (event: PushedEvent) => this.onPushed(event);
    services.connection.on('pushed', onPushed);
    this.disposables.push(
      { dispose: () => services.connection.off('pushed', onPushed) },
      services.store.onDidChange((change) => this.onChange(change)),
    );
  }

  show(agentName: string): void {
    this.panels.show(agentDetailTitle(agentName), agentName);
  }

  private attach(panel: vscode.WebviewPanel, agentName: string): OpenPanel {
    const { extension } = this.services;
    const open: OpenPanel = {
      panel,
      failures: null,
      shown: '',
      host: new WebviewHost<AgentDetailProtocol>(
        panel.webview,
        {
          openApproval: async ({ requestId }) => {
            const approval = this.services.store.approvals.get(requestId);
            if (approval) this.services.showApproval(approval);
            return null;
          },
        },
        () => void this.load(agentName),
      ),
    };
    open.host.load(panel, () => webviewHtml(panel.webview, extension.extensionUri, 'agent-detail', agentDetailTitle(agentName)));
    return open;
  }

  /** Reads the agent's recent failures (once connected), then shows everything. */
  private async load(agentName: string): Promise<void> {
    const open = this.panels.get(agentName);
    if (!open) return;
    open.shown = ''; // a new page has nothing yet
    this.send(agentName, open); // what the editor knows at once; the failures follow
    await this.services.connection.connected();
    try {
      const failures = await this.services.client().outcomes.recent({ agentName, status: 'failure', count: FAILURES_SHOWN });
      open.failures = failures.reverse();
    } catch (error) {
      this.services.log.warn(`${agentName}'s failures: ${(error as Error).message}`);
    }
    this.send(agentName, open);
  }

  private onChange(change: FleetChange): void {
    for (const [agentName, open] of this.panels.entries()) {
      const concerns = (ids: Set<string> | 'all') => ids === 'all' || ids.has(agentName);
      if (concerns(change.agents) || concerns(change.outcomeStats) || change.signals || change.approvals) this.send(agentName, open);
    }
  }

  private onPushed(event: PushedEvent): void {
    if (event.topic !== 'outcomes' || event.type !== 'outcome.recorded') return;
    for (const outcome of event.data) {
      const open = outcome.status === 'failure' ? this.panels.get(outcome.agentName) : undefined;
      if (!open?.failures) continue; // not read yet: the read will have it
      open.failures = [outcome, ...open.failures].slice(0, FAILURES_SHOWN);
      this.send(outcome.agentName, open);
    }
  }

  private send(agentName: string, open: OpenPanel): void {
    const detail = this.detail(agentName, open);
    const { agent } = detail;
    // The page shows status, progress and task of the agent, not its beat times.
    const shown = JSON.stringify({ ...detail, agent: agent && [agent.status, agent.alive, agent.progress, agent.currentTask, agent.startedAt] });
    if (shown === open.shown) return;
    open.shown = shown;
    open.host.notify('show', detail);
  }

  private detail(agentName: string, open: OpenPanel): AgentDetail {
    const { store } = this.services;
    return {
      agentName,
      agent: store.agents.get(agentName) ?? null,
      history: this.history.of(agentName),
      stats: store.outcomeStats.get(agentName) ?? null,
      windowSeconds: OUTCOME_WINDOW_SECONDS,
      failures: open.failures,
      signals: store.pendingSignalsFor(agentName),
      approvals: [...store.approvals.values()].filter((a) => a.agentId === agentName),
    };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.panels.dispose();
  }
}
