/// <reference lib="dom" />
import assert from 'node:assert/strict';
import type { OutcomeEvent } from '../../protocol/types';
import type { AgentDetail } from '../../webview/agent-detail/protocol';
import { openWebviewApp, type WebviewPage } from '../helpers/webview-page';

const failure = (eventId: string, stackTrace: string): OutcomeEvent => ({
  eventId,
  timestamp: Date.now(),
  severity: 'error',
  agentName: 'coder',
  actionType: 'llm.call',
  status: 'failure',
  durationMs: 12,
  errorType: 'Error',
  errorMessage: 'model refused',
  stackTrace,
});

const detail = (over: Partial<AgentDetail> = {}): AgentDetail => ({
  agentName: 'coder',
  agent: { agentId: 'coder', status: 'running', progress: 0.4, currentTask: 'Writing tests', metadata: {}, startedAt: Date.now() - 60_000, lastBeatAt: Date.now(), ttlSeconds: 30, alive: true },
  history: [
    { at: Date.now() - 60_000, status: 'starting', task: null },
    { at: Date.now() - 50_000, status: 'running', task: 'Writing tests' },
  ],
  stats: {
    agentName: 'coder', count: 40, successRate: 0.85, errorRate: 0.15, p50Ms: 120, p95Ms: 900, p99Ms: 1500, avgMs: 200, tokensUsed: 12000, costUsd: 0.42,
    byStatus: { success: 34, failure: 6, partial: 0, timeout: 0, cancelled: 0, pending: 0 }, alerting: true, lastAt: Date.now(),
  },
  windowSeconds: 300,
  failures: [failure('f1', 'Error: model refused\n    at call (agent.ts:10:5)\n<img src=x onerror="window.__pwned=1">')],
  signals: [{ signalId: 's1', type: 'pause', source: 'boss', target: 'coder', payload: null, sentAt: Date.now(), expiresAt: Date.now() + 60_000 }],
  approvals: [{ requestId: 'r1', agentId: 'coder', type: 'merge', context: {}, risk: 'low', status: 'pending', requestedAt: Date.now(), expiresAt: Date.now() + 60_000 }],
  ...over,
});

describe('agent detail webview (Chromium)', function () {
  this.timeout(30_000);
  let view: WebviewPage;
  beforeEach(async () => {
    view = await openWebviewApp('agent-detail');
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
  });
  afterEach(() => view.close());

  const show = (d: AgentDetail) => view.deliver({ kind: 'notification', method: 'show', params: d });

  it('shows status, figures, the statuses seen, signals and approvals', async () => {
    await show(detail());
    const { page } = view;
    await page.locator('#title', { hasText: 'coder' }).waitFor();
    assert.equal(await page.locator('#state').innerText().then((t) => t.split(' · ').slice(0, 3).join(' · ')), 'running · 40% · Writing tests');
    assert.match(await page.locator('#figures-title').innerText(), /^Outcomes, last 5 min — error rate over its alert threshold$/);
    assert.equal(await page.locator('[data-figure="Error rate"]').innerText(), '15%');
    assert.equal(await page.locator('[data-figure="p50 / p95 / p99"]').innerText(), '120 ms / 900 ms / 1.50 s');
    assert.equal(await page.locator('[data-figure="Cost"]').innerText(), '$0.4200');
    assert.deepEqual(await page.locator('#history td:nth-child(2)').allInnerTexts(), ['running', 'starting'], 'newest first');
    assert.match(await page.locator('#signals').innerText(), /pause\s+from boss/);
    await page.locator('#approvals vscode-button[data-request="r1"]').click();
    const asked = await view.posted((m) => m.kind === 'request' && m.method === 'openApproval');
    assert.deepEqual((asked as { params: unknown }).params, { requestId: 'r1' });
  });

  it('shows a failure’s stack trace as text, never as HTML', async () => {
    await show(detail());
    const stack = view.page.locator('.failure pre.stack');
    await stack.waitFor();
    assert.match(await stack.innerText(), /Error: model refused\n\s+at call \(agent\.ts:10:5\)\n<img src=x onerror="window.__pwned=1">/);
    assert.equal(await view.page.locator('#failures img').count(), 0);
    assert.equal(await view.page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
  });

  it('keeps a failure the user closed closed when new ones are pushed, and remembers it across a reload', async () => {
    await show(detail());
    const first = view.page.locator('details[data-event="f1"]');
    await first.locator('summary').click();
    await view.page.waitForFunction(() => !(document.querySelector('details[data-event="f1"]') as HTMLDetailsElement).open);
    await show(detail({ failures: [failure('f2', 'Error: again\n    at x'), failure('f1', 'Error: model refused')] }));
    await view.page.locator('details[data-event="f2"][open]').waitFor();
    assert.equal(await first.evaluate((el) => (el as HTMLDetailsElement).open), false);
    await view.page.reload();
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
    await show(detail({ failures: [failure('f2', 'Error: again\n    at x'), failure('f1', 'Error: model refused')] }));
    await view.page.locator('details[data-event="f2"][open]').waitFor();
    assert.equal(await first.evaluate((el) => (el as HTMLDetailsElement).open), false);
  });
});
