/// <reference lib="dom" />
import assert from 'node:assert/strict';
import type { OutcomeTimeline, QueueSummary } from '../../protocol/types';
import type { DashboardOutcome } from '../../webview/dashboard/protocol';
import { openWebviewApp, type WebviewPage } from '../helpers/webview-page';

const STEP = 10_000;

/** The last hour as the daemon answers it: `counts` maps agent → [steps back from now, count, errors]. */
function timeline(now: number, counts: Record<string, [number, number, number][]>): OutcomeTimeline {
  const start = Math.floor(now / STEP) * STEP - 359 * STEP;
  const series = (agentName: string, at: [number, number, number][]) => {
    const s = { agentName, count: Array<number>(360).fill(0), errors: Array<number>(360).fill(0), p95Ms: Array<number | null>(360).fill(null), tokensUsed: Array<number>(360).fill(0), costUsd: Array<number>(360).fill(0) };
    for (const [back, count, errors] of at) {
      s.count[359 - back] = count;
      s.errors[359 - back] = errors;
      s.p95Ms[359 - back] = 120;
      s.tokensUsed[359 - back] = count * 100;
      s.costUsd[359 - back] = count * 0.01;
    }
    return s;
  };
  return { windowSeconds: 3600, stepSeconds: 10, start, at: now, agents: Object.entries(counts).map(([name, at]) => series(name, at)) };
}

const queue = (name: string, waiting: number, active: number, dead: number): QueueSummary => ({
  queue: name,
  waiting: { high: 0, normal: waiting, low: 0 },
  delayed: 0,
  active,
  completed: 0,
  dead,
  completedTotal: 0,
  maxLength: 1000,
});

describe('fleet dashboard webview (Chromium)', function () {
  this.timeout(30_000);
  let view: WebviewPage;
  beforeEach(async () => {
    view = await openWebviewApp('dashboard');
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
  });
  afterEach(() => view.close());

  const text = (selector: string) => view.page.locator(selector).innerText();
  const init = (now: number, counts: Record<string, [number, number, number][]>, queues: QueueSummary[] = []) =>
    view.deliver({ kind: 'notification', method: 'init', params: { timeline: timeline(now, counts), queues, now } });

  it('draws the daemon’s last hour: a canvas per chart, totals and a row per agent', async () => {
    const now = Date.now();
    await init(now, { planner: [[30, 10, 2], [5, 10, 0]], coder: [[2, 5, 5]] }, [queue('builds', 7, 2, 1)]);
    await view.page.locator('#total-outcomes', { hasText: '25' }).waitFor();
    assert.equal(await view.page.locator('.plot canvas').count(), 5, 'each of the five charts draws on its canvas');
    assert.equal(await text('#total-error-rate'), '28%'); // 7 of 25
    assert.equal(await text('#total-cost'), '$0.2500');
    assert.deepEqual(await view.page.locator('#agents td.name').allInnerTexts(), ['planner', 'coder'], 'busiest first');
    assert.deepEqual(await view.page.locator('#agents tr[data-agent="planner"] td').allInnerTexts(), ['planner', '20', '10%', '120 ms', '2,000', '$0.2000', 'Details']);
    // uPlot's legend names each series: the agents in the per-agent charts, each queue's three depths.
    assert.deepEqual(await view.page.locator('#chart-rate .u-legend .u-series .u-label').allInnerTexts(), ['Time', 'coder', 'planner']);
    assert.deepEqual(await view.page.locator('#chart-queues .u-legend .u-label').allInnerTexts(), ['Time', 'builds waiting', 'builds active', 'builds dead']);
  });

  it('adds pushed outcomes without counting twice what the timeline had, keeping the agent picked', async () => {
    const now = Date.now();
    await init(now, { planner: [[0, 4, 0]], coder: [[1, 2, 0]] });
    await view.page.locator('#total-outcomes', { hasText: '6' }).waitFor();
    await view.page.locator('#agent').click();
    await view.page.locator('#agent').getByRole('option', { name: 'planner', exact: true }).click();
    await view.page.locator('#total-outcomes', { hasText: /^4$/ }).waitFor();
    const outcome = (timestamp: number, error: boolean): DashboardOutcome => ({ agentName: 'planner', timestamp, error, durationMs: 80, tokensUsed: 10, costUsd: 0.5 });
    // One recorded before the timeline was read (already counted), two after it.
    const update = { outcomes: [outcome(now - 5, false), outcome(now + 1, true), outcome(now + 2, false)], queues: [queue('q', 3, 1, 0)], now: now + 1000 };
    await view.deliver({ kind: 'notification', method: 'update', params: update });
    await view.page.locator('#total-outcomes', { hasText: /^6$/ }).waitFor();
    assert.equal(await text('#total-cost'), '$1.04');
    assert.equal(await view.page.locator('#agent').evaluate((el) => (el as HTMLSelectElement).value), 'planner', 'the pick survives the update');
    assert.deepEqual(await view.page.locator('#chart-rate .u-legend .u-series .u-label').allInnerTexts(), ['Time', 'planner'], 'charts narrowed to the pick');
  });

  it('keeps what it saw and the pick across a reload, also when the host is offline', async () => {
    const now = Date.now();
    await init(now, { planner: [[3, 9, 3]] }, [queue('builds', 5, 0, 0)]);
    await view.page.locator('#total-outcomes', { hasText: '9' }).waitFor();
    await view.page.locator('#agent').click();
    await view.page.locator('#agent').getByRole('option', { name: 'planner', exact: true }).click();
    await view.page.reload();
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
    await view.deliver({ kind: 'notification', method: 'init', params: { timeline: null, queues: [], now: now + 2000 } });
    await view.page.locator('#status', { hasText: 'Offline' }).waitFor();
    assert.equal(await text('#total-outcomes'), '9');
    assert.equal(await view.page.locator('#agent').evaluate((el) => (el as HTMLSelectElement).value), 'planner');
    assert.deepEqual(await view.page.locator('#chart-queues .u-legend .u-label').allInnerTexts(), ['Time', 'builds waiting', 'builds active', 'builds dead']);
  });

  it('looks back as far as the range picked (15 min at first), and keeps the pick', async () => {
    const now = Date.now();
    await init(now, { planner: [[100, 5, 0], [2, 3, 0]] }); // 1000 s ago, and 20 s ago
    await view.page.locator('#total-outcomes', { hasText: /^3$/ }).waitFor();
    assert.match(await text('#status'), /^The last 15 min, in 10 s steps/);
    await view.page.locator('#range').click();
    await view.page.locator('#range').getByRole('option', { name: 'hour', exact: true }).click();
    await view.page.locator('#total-outcomes', { hasText: /^8$/ }).waitFor();
    await view.page.reload();
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
    await init(now, { planner: [[100, 5, 0], [2, 3, 0]] });
    await view.page.locator('#status', { hasText: 'The last hour' }).waitFor();
    assert.equal(await text('#total-outcomes'), '8');
  });

  it('charts the eight busiest agents of a larger fleet, and any other once picked', async () => {
    const fleet = Object.fromEntries(Array.from({ length: 12 }, (_, i): [string, [number, number, number][]] => [`agent-${String(i).padStart(2, '0')}`, [[1, i + 1, 0]]]));
    await init(Date.now(), fleet);
    await view.page.locator('#status', { hasText: 'Charts show the 8 busiest of 12 agents' }).waitFor();
    const charted = () => view.page.locator('#chart-rate .u-legend .u-series .u-label').allInnerTexts();
    assert.deepEqual(await charted(), ['Time', ...Array.from({ length: 8 }, (_, i) => `agent-${String(i + 4).padStart(2, '0')}`)], 'the busiest, by name');
    assert.equal(await view.page.locator('#agents tr').count(), 12, 'the table lists them all (up to 50)');
    await view.page.locator('#agent').click();
    await view.page.locator('#agent').getByRole('option', { name: 'agent-00', exact: true }).click();
    await view.page.locator('#total-outcomes', { hasText: /^1$/ }).waitFor();
    assert.deepEqual(await charted(), ['Time', 'agent-00']);
  });

  it('asks the host to open an agent’s details from its row', async () => {
    await init(Date.now(), { reviewer: [[0, 1, 0]] });
    await view.page.locator('#agents vscode-button[data-agent="reviewer"]').click();
    const asked = await view.posted((m) => m.kind === 'request' && m.method === 'showAgent');
    assert.deepEqual((asked as { params: unknown }).params, { agentName: 'reviewer' });
  });
});
