/** What the status-bar item says, from the link state and the fleet (no vscode import: tested in Node). */
import type { LinkState } from './connection/daemon-connection';
import type { FleetStore } from './model/fleet-store';

export interface StatusSummary {
  text: string;
  background?: 'warning' | 'error';
  tooltip: string;
}

/** The item's content, from the link state and the fleet (pure, for tests). */
export function summarize(state: LinkState, store: FleetStore, staleSeconds: number, lastError?: string, where = ''): StatusSummary {
  if (state !== 'connected') {
    return {
      text: state === 'connecting' ? '$(sync~spin) Switchboard connecting…' : '$(debug-disconnect) Switchboard offline',
      background: state === 'connecting' ? undefined : 'error',
      tooltip: `**Switchboard** is ${state === 'connecting' ? 'connecting to' : 'not connected to'} its daemon (${where}).${lastError ? `\n\n${lastError}` : ''}`,
    };
  }
  const alive = [...store.agents.values()].filter((a) => a.alive);
  const stale = store.staleAgents(staleSeconds).length;
  const approvals = store.approvals.size;
  const parts = [`${alive.length} agent${alive.length === 1 ? '' : 's'}`];
  if (stale > 0) parts.push(`${stale} stale`);
  if (approvals > 0) parts.push(`${approvals} approval${approvals === 1 ? '' : 's'}`);
  const failed = [...store.agents.values()].filter((a) => a.status === 'failed').length;
  return {
    text: `${stale > 0 ? '$(warning)' : approvals > 0 ? '$(bell-dot)' : '$(pulse)'} ${parts.join(' · ')}`,
    background: stale > 0 ? 'warning' : undefined,
    tooltip: [
      '**Switchboard**',
      '',
      `- ${alive.length} alive, ${stale} stale (silent > ${staleSeconds}s)`,
      `- ${failed} failed in the last 10 minutes`,
      `- ${approvals} approval${approvals === 1 ? '' : 's'} waiting`,
      '',
      `Daemon: ${where}`,
      '',
      'Click for actions.',
    ].join('\n'),
  };
}
