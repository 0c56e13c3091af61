/** The Fleet dashboard's command and its panel's restore after a window reload. */
import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { DASHBOARD_VIEW_TYPE, DashboardPanel } from './dashboard-panel';

export function registerDashboard(services: ExtensionServices): vscode.Disposable[] {
  const dashboard = new DashboardPanel(services);
  return [
    dashboard,
    vscode.commands.registerCommand('switchboard.openDashboard', () => dashboard.show()),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, { deserializeWebviewPanel: async (panel) => dashboard.restore(panel) }),
  ];
}
