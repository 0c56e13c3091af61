/**
 * The Fleet dashboard: outcomes/s, error rate and p95 latency per agent, queue depths per queue
 * and the cost of the last hour, charted with uPlot; a table of agents (a click opens one's
 * details). Shows the daemon's last hour on each load, then what the host pushes; keeps what it
 * saw (and the agent picked) in its webview state.
 */
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import { countText, msText, percentText, usdText } from '../../common/outcome-format';
import { h } from '../shared/dom';
import { HostChannel } from '../shared/host-channel';
import { Chart, type SeriesData } from './charts';
import { emptyHistory, HistoryModel, STEP_MS, type History, type Totals } from './history';
import type { DashboardProtocol } from './protocol';

interface SavedState {
  history: History;
  /** The agent the charts are narrowed to; '' for all. */
  agent: string;
  /** How far back the charts and totals look. */
  rangeMinutes: number;
}

/** The ranges offered; the page keeps an hour, and starts on a quarter of it, where a new fleet's minutes are readable. */
const RANGES = [5, 15, 60];
/** Palette slots of waiting, active and dead (blue, green, red: see charts.ts). */
const QUEUE_STATE_COLORS = [0, 2, 4];
/** Agents charted at once without a pick, and rows in the table: the busiest; a fleet of thousands stays readable (and fast). */
const MAX_CHARTED = 8;
const MAX_ROWS = 50;

const host = new HostChannel<DashboardProtocol, SavedState>();
const saved = host.savedState();
const model = new HistoryModel(saved.history ?? emptyHistory());
/** The user's pick lives here, not in the select, which is rebuilt as agents come (see docs/ux.md). */
let chosenAgent = saved.agent ?? '';
let rangeMinutes = saved.rangeMinutes ?? 15;
let agentsShown = '';
let now = Date.now();
let offline = false;

const app = document.getElementById('app')!;
const agentSelect = h('vscode-single-select', { id: 'agent', 'aria-label': 'Show agent' }) as VscodeSingleSelect;
const rangeSelect = h('vscode-single-select', { id: 'range', 'aria-label': 'Time range' },
  ...RANGES.map((minutes) => h('vscode-option', { value: String(minutes), selected: minutes === rangeMinutes }, rangeText(minutes))),
) as VscodeSingleSelect;
const status = h('p', { id: 'status', class: 'meta', role: 'status' });
const tile = (id: string, label: string) => h('div', { class: 'tile' }, h('div', { class: 'tile-value', id }, '—'), h('div', { class: 'tile-label' }, label));
const agentsTitle = h('h2', {});
const agentRows = h('tbody', { id: 'agents' });

const chartCard = (id: string, title: string, format: (v: number) => string) => {
  const plot = h('div', { class: 'plot', id: `${id}-plot` });
  const card = h('section', { class: 'card', id }, h('h2', {}, title), plot);
  return { card, chart: new Chart(plot, format) };
};
const rate = chartCard('chart-rate', 'Outcomes per second', (v) => (v < 10 ? v.toFixed(1) : Math.round(v).toString()));
const errors = chartCard('chart-errors', 'Error rate', (v) => percentText(v));
const latency = chartCard('chart-latency', 'p95 latency', (v) => msText(v));
const queues = chartCard('chart-queues', 'Queue depths (waiting, active, dead)', (v) => countText(Math.round(v)));
const cost = chartCard('chart-cost', 'Cost, summed over the range', (v) => usdText(v));
const charts = [rate, errors, latency, queues, cost];

app.replaceChildren(
  h('header', {}, h('h1', {}, 'Fleet dashboard'),
    h('div', { class: 'pick' }, h('label', { for: 'agent' }, 'Agent'), agentSelect, h('label', { for: 'range' }, 'Last'), rangeSelect),
  ),
  status,
  h('div', { class: 'tiles' }, tile('total-outcomes', 'outcomes'), tile('total-error-rate', 'errors'), tile('total-cost', 'cost'), tile('total-tokens', 'tokens')),
  h('div', { class: 'charts' }, ...charts.map((c) => c.card)),
  h('section', { class: 'card wide' }, agentsTitle,
    h('table', { class: 'agents' },
      h('thead', {}, h('tr', {}, ...['Agent', 'Outcomes', 'Errors', 'p95 (latest)', 'Tokens', 'Cost', ''].map((t) => h('th', {}, t)))),
      agentRows,
    ),
  ),
);

agentSelect.addEventListener('change', () => {
  chosenAgent = agentSelect.value;
  render();
});
rangeSelect.addEventListener('change', () => {
  rangeMinutes = Number(rangeSelect.value);
  render();
});
agentRows.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest('vscode-button[data-agent]');
  if (button) void host.request('showAgent', { agentName: button.getAttribute('data-agent')! });
});
new ResizeObserver(() => charts.forEach((c) => c.chart.resize())).observe(app);
// VS Code swaps the body's theme class (vscode-light, vscode-dark, high contrast): redraw in its colours.
new MutationObserver(() => {
  charts.forEach((c) => c.chart.themeChanged());
  render();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

host.on('init', ({ timeline, queues: summaries, now: at }) => {
  offline = timeline === null;
  if (timeline) model.applyTimeline(timeline);
  model.applyQueues(summaries, at);
  now = at;
  render();
});
host.on('update', ({ outcomes, queues: summaries, now: at }) => {
  model.applyOutcomes(outcomes);
  model.applyQueues(summaries, at);
  now = at;
  render();
});
host.notify('ready', {});

function render(): void {
  model.trim(now);
  host.saveState({ history: model.history, agent: chosenAgent, rangeMinutes });
  const agents = model.agents();
  setAgents(agents);
  const steps = model.steps(now, rangeMinutes * 60_000);
  const totals = model.totalsByAgent(steps[0]!);
  const busiest = [...totals.keys()].sort((a, b) => totals.get(b)!.count - totals.get(a)!.count || (a < b ? -1 : 1));
  // By name, not by count: series that swap places as counts change would rebuild the charts.
  const shown = chosenAgent ? [chosenAgent] : busiest.slice(0, MAX_CHARTED).sort();
  const capped = !chosenAgent && busiest.length > MAX_CHARTED ? ` Charts show the ${MAX_CHARTED} busiest of ${busiest.length} agents; pick one above for any other.` : '';
  status.textContent = offline
    ? 'Offline: showing what this page saw before.'
    : agents.length === 0 && model.queueNames().length === 0
      ? 'No outcomes or queues in the last hour yet: the charts fill in as agents record outcomes.'
      : `The last ${rangeText(rangeMinutes)}, in ${STEP_MS / 1000} s steps; live.${capped}`;
  agentsTitle.textContent = `Agents, last ${rangeText(rangeMinutes)}${busiest.length > MAX_ROWS ? ` (the ${MAX_ROWS} busiest of ${busiest.length})` : ''}`;
  renderTiles(chosenAgent ? [totals.get(chosenAgent)].filter((t) => t !== undefined) : [...totals.values()]);
  renderAgents(busiest.slice(0, MAX_ROWS), totals);
  drawCharts(steps, shown, agents);
}

/** Offers every agent seen, keeping the chosen one even once its outcomes left the hour. */
function setAgents(agents: string[]): void {
  const all = chosenAgent && !agents.includes(chosenAgent) ? [...agents, chosenAgent] : agents;
  const key = JSON.stringify(all);
  if (key === agentsShown && agentSelect.value === chosenAgent) return;
  agentsShown = key;
  agentSelect.replaceChildren(
    h('vscode-option', { value: '', selected: chosenAgent === '' }, 'All agents'),
    ...all.map((name) => h('vscode-option', { value: name, selected: name === chosenAgent }, name)),
  );
  agentSelect.value = chosenAgent;
}

function rangeText(minutes: number): string {
  return minutes === 60 ? 'hour' : `${minutes} min`;
}

function renderTiles(of: Totals[]): void {
  const totals = of.reduce((sum, t) => ({ count: sum.count + t.count, errors: sum.errors + t.errors, cost: sum.cost + t.cost, tokens: sum.tokens + t.tokens }), { count: 0, errors: 0, cost: 0, tokens: 0 });
  document.getElementById('total-outcomes')!.textContent = countText(totals.count);
  document.getElementById('total-error-rate')!.textContent = totals.count ? percentText(totals.errors / totals.count) : '—';
  document.getElementById('total-cost')!.textContent = usdText(totals.cost);
  document.getElementById('total-tokens')!.textContent = countText(totals.tokens);
}

function renderAgents(agents: string[], totals: Map<string, Totals>): void {
  agentRows.replaceChildren(
    ...agents.map((name) => {
      const t = totals.get(name)!;
      return h('tr', { 'data-agent': name, class: name === chosenAgent ? 'chosen' : '' },
        h('td', { class: 'name' }, name),
        h('td', { class: 'count' }, countText(t.count)),
        h('td', { class: 'errors' }, t.count ? percentText(t.errors / t.count) : '—'),
        h('td', { class: 'p95' }, msText(t.p95Ms)),
        h('td', { class: 'tokens' }, countText(t.tokens)),
        h('td', { class: 'cost' }, usdText(t.cost)),
        h('td', {}, h('vscode-button', { secondary: true, 'data-agent': name, title: `Open ${name}'s details` }, 'Details')),
      );
    }),
  );
}

function drawCharts(steps: number[], shown: string[], agents: string[]): void {
  const colorOf = (name: string) => agents.indexOf(name);
  const current = steps.at(-1)!;
  // The filling step's rate is over the seconds it has had so far, so the line does not dip at its end.
  const seconds = (step: number) => (step === current ? Math.max(1, (now - step) / 1000) : STEP_MS / 1000);
  const perAgent = (values: (step: number, name: string) => number | null): SeriesData[] =>
    shown.map((name) => ({ label: name, color: colorOf(name), values: steps.map((step) => values(step, name)) }));
  rate.chart.draw(steps, perAgent((step, name) => (model.figures(step, name)?.count ?? 0) / seconds(step)));
  const sparse = (series: SeriesData[]) => series.map((s) => ({ ...s, sparse: true }));
  errors.chart.draw(steps, sparse(perAgent((step, name) => {
    const f = model.figures(step, name);
    return f && f.count > 0 ? f.errors / f.count : null;
  })));
  latency.chart.draw(steps, sparse(perAgent((step, name) => model.figures(step, name)?.p95Ms ?? null)));
  const queueSeries = model.queueNames().flatMap((queue, i): SeriesData[] =>
    // Colour says the state (dead in red), the dash which queue.
    (['waiting', 'active', 'dead'] as const).map((kind, k) => ({
      label: `${queue} ${kind}`,
      color: QUEUE_STATE_COLORS[k]!,
      dash: [undefined, [6, 3], [2, 3]][i % 3],
      sparse: true,
      values: carriedForward(steps.map((step) => model.depth(step, queue)?.[kind] ?? null)),
    })),
  );
  queues.chart.draw(steps, queueSeries);
  let spent = 0;
  cost.chart.draw(steps, [{
    label: chosenAgent || 'fleet',
    color: chosenAgent ? colorOf(chosenAgent) : 0,
    values: steps.map((step) => (spent += shown.reduce((sum, name) => sum + (model.figures(step, name)?.cost ?? 0), 0))),
  }]);
}

/** A queue's depth holds until its next sample (the daemon pushes counts only when they change). */
function carriedForward(values: (number | null)[]): (number | null)[] {
  let last: number | null = null;
  return values.map((v) => (last = v ?? last));
}
