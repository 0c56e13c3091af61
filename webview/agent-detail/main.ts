/**
 * An agent's details: status and the statuses seen, outcome figures over the daemon's default
 * window, recent failures with their stack traces (as text, never HTML), pending signals and
 * approvals. Everything comes from the host in `show`; which failures the user opened or closed
 * is the page's own, kept in its webview state with the agent's name (for the restore).
 */
import './agent-detail.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { OutcomeEvent } from '../../protocol/types';
import { countText, msText, percentText, usdText, windowText } from '../../common/outcome-format';
import { h } from '../shared/dom';
import { HostChannel } from '../shared/host-channel';
import type { AgentDetail, AgentDetailProtocol } from './protocol';

interface SavedState {
  agentName: string;
  /** Failures the user opened or closed, by eventId (the newest is open until closed). */
  toggled: Record<string, boolean>;
}

const host = new HostChannel<AgentDetailProtocol, SavedState>();
const saved = host.savedState();
const toggled: Record<string, boolean> = saved.toggled ?? {};
let agentName = saved.agentName ?? '';
/** The failures drawn (their ids): a show that brings the same ones leaves their elements, and what the user opened, alone. */
let failuresShown = '';

const app = document.getElementById('app')!;
const title = h('h1', { id: 'title' });
const state = h('p', { id: 'state', class: 'meta' });
const figures = h('dl', { id: 'figures', class: 'figures' });
const figuresTitle = h('h2', { id: 'figures-title' }, 'Outcomes');
const failures = h('div', { id: 'failures' });
const history = h('tbody', { id: 'history' });
const signals = h('div', { id: 'signals' });
const approvals = h('div', { id: 'approvals' });
app.replaceChildren(
  h('header', {}, title, state),
  h('section', {}, figuresTitle, figures),
  // The short sections first: a run of failures (twenty of them, stacks open) would push them out of sight.
  h('div', { class: 'columns' },
    h('section', {}, h('h2', {}, 'Statuses seen'), h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, h('th', {}, 'Since'), h('th', {}, 'Status'), h('th', {}, 'Task'))), history)),
    h('section', {}, h('h2', {}, 'Pending signals'), signals, h('h2', {}, 'Pending approvals'), approvals),
  ),
  h('section', {}, h('h2', {}, 'Recent failures'), failures),
);
failures.addEventListener('toggle', (event) => {
  const details = event.target as HTMLDetailsElement;
  toggled[details.dataset.event!] = details.open;
  save();
}, true);
approvals.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest('vscode-button[data-request]');
  if (button) void host.request('openApproval', { requestId: button.getAttribute('data-request')! });
});

host.on('show', (detail) => {
  agentName = detail.agentName;
  save();
  render(detail);
});
host.notify('ready', {});

function save(): void {
  host.saveState({ agentName, toggled });
}

const time = (ms: number) => new Date(ms).toLocaleTimeString();

function render(detail: AgentDetail): void {
  title.textContent = detail.agentName;
  const { agent } = detail;
  state.textContent = agent
    ? `${agent.status}${agent.alive ? '' : ' (ended)'} · ${Math.round(agent.progress * 100)}%${agent.currentTask ? ` · ${agent.currentTask}` : ''} · started ${time(agent.startedAt)}`
    : 'Not a running agent the daemon knows: only its outcomes are shown.';
  renderFigures(detail);
  renderFailures(detail.failures);
  history.replaceChildren(...[...detail.history].reverse().map((s) => h('tr', {}, h('td', {}, time(s.at)), h('td', {}, s.status), h('td', {}, s.task ?? ''))));
  signals.replaceChildren(
    detail.signals.length === 0
      ? h('p', { class: 'meta' }, 'None.')
      : h('table', { class: 'grid' }, ...detail.signals.map((s) => h('tr', {}, h('td', {}, s.type), h('td', {}, `from ${s.source}`), h('td', {}, `sent ${time(s.sentAt)}`)))),
  );
  approvals.replaceChildren(
    ...(detail.approvals.length === 0
      ? [h('p', { class: 'meta' }, 'None.')]
      : detail.approvals.map((a) => h('div', { class: 'approval' }, h('span', {}, `${a.type} (${a.risk} risk), asked ${time(a.requestedAt)}`), h('vscode-button', { secondary: true, 'data-request': a.requestId }, 'Open')))),
  );
}

function renderFigures({ stats, windowSeconds }: AgentDetail): void {
  figuresTitle.textContent = `Outcomes, last ${windowText(windowSeconds)}${stats?.alerting ? ' — error rate over its alert threshold' : ''}`;
  figuresTitle.classList.toggle('alerting', stats?.alerting ?? false);
  const rows: [string, string][] = stats
    ? [
        ['Outcomes', countText(stats.count)],
        ['Success', percentText(stats.successRate)],
        ['Error rate', percentText(stats.errorRate)],
        ['p50 / p95 / p99', `${msText(stats.p50Ms)} / ${msText(stats.p95Ms)} / ${msText(stats.p99Ms)}`],
        ['Tokens', countText(stats.tokensUsed)],
        ['Cost', usdText(stats.costUsd)],
      ]
    : [['Outcomes', 'none in the window']];
  figures.replaceChildren(...rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', { 'data-figure': label }, value)]));
}

function renderFailures(list: OutcomeEvent[] | null): void {
  const key = list === null ? 'loading' : list.map((f) => f.eventId).join(' ');
  if (key === failuresShown) return;
  failuresShown = key;
  if (list === null) return failures.replaceChildren(h('p', { class: 'meta' }, 'Reading its failures…'));
  if (list.length === 0) return failures.replaceChildren(h('p', { class: 'meta' }, 'No failure recorded recently.'));
  failures.replaceChildren(
    ...list.map((failure, i) =>
      h('details', { class: 'failure', 'data-event': failure.eventId, open: toggled[failure.eventId] ?? i === 0 },
        h('summary', {},
          h('span', { class: 'when' }, time(failure.timestamp)),
          ` ${failure.actionType} · `,
          h('span', { class: 'error' }, [failure.errorType, failure.errorMessage].filter(Boolean).join(': ') || 'failed'),
        ),
        // The stack as the agent sent it: text in a <pre>, never parsed as HTML.
        h('pre', { class: 'stack' }, failure.stackTrace ?? failure.errorMessage ?? '(no stack trace recorded)'),
      ),
    ),
  );
}
