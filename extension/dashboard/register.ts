/** The Fleet dashboard's command and its panel (which restores itself after a window reload). */
import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import type { QueueModel } from '../queues/queue-model';
import { DashboardPanel } from './dashboard-panel';

/** `queues`: the Queues feature's model, which the dashboard charts (no second subscription). */
export function registerDashboard(services: ExtensionServices, queues: QueueModel): vscode.Disposable[] {
  const dashboard = new DashboardPanel(services, queues);
  return [
    dashboard,
    vscode.commands.registerCommand('switchboard.openDashboard', () => dashboard.show()),
  ];
}
