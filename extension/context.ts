/** What the command and view modules share. */
import type * as vscode from 'vscode';
import type { SwitchboardClient } from '../client/client';
import type { Approval } from '../protocol/types';
import type { DaemonConnection } from './connection/daemon-connection';
import type { FleetStore } from './model/fleet-store';

export interface ExtensionServices {
  extension: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  store: FleetStore;
  connection: DaemonConnection;
  /** The connected client, or an error the user can read. */
  client(): SwitchboardClient;
  showApproval(approval: Approval): void;
  showSignalComposer(target?: string): void;
  /** An agent's details (outcomes, failures, signals, approvals), by agent id = outcome agentName. */
  showAgentDetail(agentName: string): void;
}
