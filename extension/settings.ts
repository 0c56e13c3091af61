/** The `switchboard.*` settings, read fresh each time. */
import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import { defaultStateDir } from '../common/state-dir';
import type { ConnectionSettings } from './connection/daemon-connection';

export function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('switchboard');
}

export function connectionSettings(): ConnectionSettings {
  const config = section();
  // In an untrusted workspace, workspace values of these restricted settings are ignored by VS Code itself.
  return {
    daemonUrl: config.get<string>('daemonUrl') ?? '',
    stateDir: config.get<string>('stateDir') || defaultStateDir(),
    autoStart: (config.get<boolean>('autoStart') ?? true) && vscode.workspace.isTrusted,
  };
}

export function responderName(): string {
  return section().get<string>('responderName') || `${userInfo().username}@vscode`;
}

export function staleThresholdSeconds(): number {
  return section().get<number>('staleThresholdSeconds') ?? 30;
}

export function notificationsOn(kind: 'approvals' | 'agentFailed' | 'agentExpired' | 'deadJobs' | 'workflowFailures' | 'failureAlerts' | 'safetyBlocked' | 'breakers' | 'budgets'): boolean {
  return section().get<boolean>(`notifications.${kind}`) ?? true;
}
