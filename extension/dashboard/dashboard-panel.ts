/**
 * Hosts the Fleet dashboard (one panel, restored after a window reload). Each load of the page
 * gets the daemon's last hour (outcome.timeline) and the queues as the Queues feature holds them;
 * then the outcomes pushed on the connection and the queues' changed counts are passed on, at
 * most once a second, and only while the panel is visible: a hidden page is thrown away and its
 * next load reads the hour again.
 */
import * as vscode from 'vscode';
import { ERROR_STATUSES } from '../../protocol/outcome';
import type { PushedEvent, QueueSummary } from '../../protocol/types';
import type { DashboardOutcome, DashboardProtocol } from '../../webview/dashboard/protocol';
import type { ExtensionServices } from '../context';
import type { QueueChange, QueueModel } from '../queues/queue-model';
import { PanelSet } from '../webviews/panel-set';
import { WebviewHost, webviewHtml } from '../webviews/webview-host';

export const DASHBOARD_VIEW_TYPE = 'switchboard.dashboard';
const TITLE = 'Fleet Dashboard';
const PUSH_MS = 1000;

type OpenDashboard = { panel: vscode.WebviewPanel; host: WebviewHost<DashboardProtocol> };

export class DashboardPanel implements vscode.Disposable {
  /** One panel; one restored after a window reload keeps what its page saw, and loads the hour again. */
  private readonly panels: PanelSet<OpenDashboard>;
  private outcomes: DashboardOutcome[] = [];
  private readonly queues = new Map<string, QueueSummary>();
  private timer?: NodeJS.Timeout;
  /** While a load reads the daemon's hour, pushes wait; those it already counted are dropped after. */
  private loading = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly services: ExtensionServices,
    private readonly queueModel: QueueModel,
  ) {
    this.panels = new PanelSet<OpenDashboard>({
      viewType: DASHBOARD_VIEW_TYPE,
      extensionUri: services.extension.extensionUri,
      attach: (panel) => this.attach(panel),
      closed: () => this.clear(),
    });
    const onPushed = (event: PushedEvent) => this.onPushed(event);
    // Pushes may have been missed (a reconnect, a seq gap): the daemon's hour again.
    const onResynced = () => void this.load();
    services.connection.on('pushed', onPushed);
    services.connection.on('resynced', onResynced);
    this.disposables.push(
      { dispose: () => services.connection.off('pushed', onPushed).off('resynced', onResynced) },
      queueModel.onDidChange((change) => this.onQueues(change)),
    );
  }

  show(): void {
    this.panels.show(TITLE);
  }

  private get open(): OpenDashboard | undefined {
    return this.panels.get();
  }

  private attach(panel: vscode.WebviewPanel): OpenDashboard {
    const { extension } = this.services;
    const host = new WebviewHost<DashboardProtocol>(
      panel.webview,
      {
        showAgent: async ({ agentName }) => {
          this.services.showAgentDetail(agentName);
          return null;
        },
      },
      () => void this.load(),
    );
    host.load(panel, () => webviewHtml(panel.webview, extension.extensionUri, 'dashboard', TITLE));
    return { panel, host };
  }

  private async load(): Promise<void> {
    const open = this.open;
    if (!open) return;
    this.loading = true;
    try {
      const { connection } = this.services;
      const client = connection.state === 'connected' ? connection.client : undefined;
      const timeline = client ? await client.outcomes.timeline({}) : null;
      open.host.notify('init', { timeline, queues: this.queueModel.queues(), now: Date.now() });
      if (timeline) this.outcomes = this.outcomes.filter((o) => o.timestamp > timeline.at);
    } catch (error) {
      this.services.log.warn(`dashboard: cannot read the last hour: ${(error as Error).message}`);
      open.host.notify('init', { timeline: null, queues: [], now: Date.now() });
    } finally {
      this.loading = false;
      this.schedule();
    }
  }

  private onPushed(event: PushedEvent): void {
    if (!this.open?.panel.visible || event.topic !== 'outcomes' || event.type !== 'outcome.recorded') return;
    for (const o of event.data) {
      this.outcomes.push({ agentName: o.agentName, timestamp: o.timestamp, error: ERROR_STATUSES.includes(o.status), durationMs: o.durationMs, tokensUsed: o.tokensUsed ?? 0, costUsd: o.costUsd ?? 0 });
    }
    this.schedule();
  }

  private onQueues(change: QueueChange): void {
    if (!this.open?.panel.visible) return;
    const changed = change.queues === 'all' ? this.queueModel.queues() : [...change.queues].map((queue) => this.queueModel.summaries.get(queue));
    for (const summary of changed) if (summary) this.queues.set(summary.queue, summary);
    this.schedule();
  }

  private schedule(): void {
    if (this.loading || this.timer || (this.outcomes.length === 0 && this.queues.size === 0)) return;
    this.timer = setTimeout(() => this.flush(), PUSH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.loading) return; // the load schedules the next flush
    this.open?.host.notify('update', { outcomes: this.outcomes, queues: [...this.queues.values()], now: Date.now() });
    this.outcomes = [];
    this.queues.clear();
  }

  private clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.outcomes = [];
    this.queues.clear();
  }

  dispose(): void {
    this.clear();
    for (const d of this.disposables) d.dispose();
    this.panels.dispose();
  }
}
