/**
 * Confirms something the user did (an answer, a sent signal), or that something they were warned
 * about is over (an agent's error rate recovered): in the status bar for a few seconds and in the
 * log, never as another toast.
 */
import * as vscode from 'vscode';
import type { ExtensionServices } from './context';

const SHOWN_MS = 6_000;

/** `detail` (where, which request) goes to the log only: the status bar has room for the gist. */
export function confirmDone(services: Pick<ExtensionServices, 'log'>, text: string, detail?: string): void {
  services.log.info(detail ? `${text} (${detail})` : text);
  vscode.window.setStatusBarMessage(`$(check) Switchboard: ${text}`, SHOWN_MS);
}
