/** Start Daemon, Stop Daemon, Reconnect, Show Log, the guide to connecting agents. */
import * as vscode from 'vscode';
import { stopDaemon } from '../../client/daemon-launcher';
import type { ExtensionServices } from '../context';
import { connectionSettings } from '../settings';

export function registerDaemonCommands(services: ExtensionServices, launch: (stateDir: string) => Promise<unknown>): vscode.Disposable[] {
  const { connection, log } = services;
  return [
    vscode.commands.registerCommand('switchboard.startDaemon', async () => {
      const { stateDir } = connectionSettings();
      try {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Switchboard: starting the daemon…' }, () => launch(stateDir));
        await connection.restart();
      } catch (error) {
        log.error(`start daemon: ${(error as Error).message}`);
        void vscode.window.showErrorMessage(`Switchboard: ${(error as Error).message}`, 'Show Log').then((choice) => choice && log.show());
      }
    }),
    vscode.commands.registerCommand('switchboard.stopDaemon', async () => {
      const { stateDir } = connectionSettings();
      const choice = await vscode.window.showWarningMessage(
        'Stop the Switchboard daemon?',
        { modal: true, detail: 'Agents connected to it lose their coordinator until it is started again. Their state stays in Redis.' },
        'Stop',
      );
      if (choice !== 'Stop') return;
      if (!stopDaemon(stateDir)) void vscode.window.showInformationMessage(`Switchboard: no daemon is running for ${stateDir}.`);
      else log.info(`asked the daemon in ${stateDir} to stop`);
    }),
    vscode.commands.registerCommand('switchboard.reconnect', () => connection.restart()),
    vscode.commands.registerCommand('switchboard.showLog', () => log.show()),
    // The guide ships in the .vsix, so that it opens offline and matches this version.
    vscode.commands.registerCommand('switchboard.openAgentGuide', () =>
      vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(services.extension.extensionUri, 'docs', 'agents.md')),
    ),
  ];
}
