/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { OutcomeEvent, Workflow, WorkflowStep } from '../../protocol/types';
import type { RequestMessage } from '../../webview/shared/messages';
import { openWebviewApp, type WebviewPage } from '../helpers/webview-page';

const SHOTS = resolve(__dirname, '../../test-results');
/** The theme colours the page is given, as VS Code gives a webview its theme's (here a light one). */
const THEME = `:root { --vscode-charts-green: rgb(0, 128, 0); --vscode-charts-red: rgb(200, 0, 0); --vscode-charts-blue: rgb(0, 0, 200);
  --vscode-charts-purple: rgb(128, 0, 128); --vscode-charts-yellow: rgb(200, 160, 0); --vscode-charts-orange: rgb(230, 120, 0);
  --vscode-disabledForeground: rgb(150, 150, 150); --vscode-foreground: rgb(30, 30, 30); --vscode-descriptionForeground: rgb(100, 100, 100);
  --vscode-editor-background: rgb(255, 255, 255); }`;

const step = (name: string, over: Partial<WorkflowStep> = {}): WorkflowStep => ({ name, queue: 'q', state: 'pending', attempts: 0, dependsOn: [], maxAttempts: 4, ...over });

/** A diamond: plan → (lint, test) → review, plan done, lint running, test failed. */
function diamond(over: Partial<Record<string, Partial<WorkflowStep>>> = {}): Workflow {
  const steps = [
    step('plan', { state: 'completed', attempts: 1, input: { pr: 42 }, result: { files: 3 }, startedAt: 1000, endedAt: 1500, ...over.plan }),
    step('lint', { state: 'running', attempts: 2, dependsOn: ['plan'], startedAt: 1600, ...over.lint }),
    step('test', { state: 'failed', attempts: 4, dependsOn: ['plan'], error: 'exit 1: 2 tests failed', ...over.test }),
    step('review', { dependsOn: ['lint', 'test'], ...over.review }),
  ];
  return { workflowId: 'pr-42', name: 'review PR 42', status: 'running', stopOnFailure: false, startedAt: 900, stepCount: 4, openSteps: 2, steps };
}

describe('workflow graph webview (Chromium)', function () {
  this.timeout(30_000);
  let view: WebviewPage;
  beforeEach(async () => {
    view = await openWebviewApp('workflow-graph');
    await view.page.addStyleTag({ content: THEME });
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
  });
  afterEach(() => view.close());

  const show = (workflow: Workflow | null) => view.deliver({ kind: 'notification', method: 'workflow', params: { workflowId: 'pr-42', workflow } });
  const node = (name: string) => view.page.locator(`g.step[data-step="${name}"]`);
  const position = async (name: string) => {
    const box = (await node(name).boundingBox())!;
    return { x: box.x, y: box.y };
  };

  it('lays the DAG out left to right with an edge per dependency, and a legend of every state', async () => {
    await show(diamond());
    await node('review').waitFor();
    assert.equal(await view.page.locator('g.step').count(), 4);
    assert.deepEqual(
      (await view.page.locator('path.edge').evaluateAll((paths) => paths.map((p) => `${p.getAttribute('data-from')}>${p.getAttribute('data-to')}`))).sort(),
      ['lint>review', 'plan>lint', 'plan>test', 'test>review'],
    );
    const [plan, lint, test, review] = await Promise.all(['plan', 'lint', 'test', 'review'].map(position));
    assert.ok(plan!.x < lint!.x && lint!.x < review!.x, 'each rank right of the one it depends on');
    assert.equal(lint!.x, test!.x, 'lint and test share a rank');
    assert.notEqual(lint!.y, test!.y);
    assert.deepEqual(await view.page.locator('#legend li').allInnerTexts(), ['pending', 'ready', 'queued', 'running', 'completed', 'failed', 'skipped', 'cancelled']);
    assert.match(await view.page.locator('#status').innerText(), /^running: steps are advancing · 2\/4 steps ended · pr-42$/);
    assert.deepEqual(await view.page.locator('#actions vscode-button').allInnerTexts(), ['Pause', 'Cancel…']);
    mkdirSync(SHOTS, { recursive: true });
    await view.page.screenshot({ path: resolve(SHOTS, 'workflow-graph-webview.png'), fullPage: true });
  });

  it('colours each step by its state with the theme’s colours', async () => {
    await show(diamond());
    await node('plan').waitFor();
    const stroke = (name: string) => node(name).locator('rect').evaluate((rect) => getComputedStyle(rect).stroke);
    assert.equal(await stroke('plan'), 'rgb(0, 128, 0)');
    assert.equal(await stroke('lint'), 'rgb(0, 0, 200)');
    assert.equal(await stroke('test'), 'rgb(200, 0, 0)');
    assert.equal(await stroke('review'), 'rgb(150, 150, 150)');
    assert.equal(await node('lint').locator('text.state').textContent(), 'running · attempt 2/4');
  });

  it('a click on a step shows its payload, result, error and outcomes beside the graph', async () => {
    await show(diamond({ review: { state: 'queued', input: { strict: true } } }));
    await node('review').click();
    const outcomesAsked = (await view.posted((m) => m.kind === 'request' && m.method === 'stepOutcomes')) as RequestMessage;
    assert.deepEqual(outcomesAsked.params, { step: 'review' });
    const details = view.page.locator('#details');
    await details.locator('h2', { hasText: 'review' }).waitFor();
    // The payload as the worker gets it: the input, and the result of each dependency that completed (test failed: none).
    const payload = JSON.parse(await details.locator('#details-payload pre').innerText());
    assert.deepEqual(payload, { workflowId: 'pr-42', step: 'review', input: { strict: true }, results: {} });
    assert.equal(await details.locator('#details-outcomes p').innerText(), 'Loading…');
    const outcome = { eventId: 'e1', timestamp: 2000, severity: 'info', agentName: 'reviewer', actionType: 'step.review', status: 'success', durationMs: 420, correlationId: 'pr-42:review' } as OutcomeEvent;
    await view.deliver({ kind: 'response', id: outcomesAsked.id, result: [outcome] });
    await details.locator('#details-outcomes li', { hasText: 'success reviewer · step.review · 420 ms' }).waitFor();

    await node('lint').click();
    await details.locator('h2', { hasText: 'lint' }).waitFor();
    assert.deepEqual(JSON.parse(await details.locator('#details-payload pre').innerText()).results, { plan: { files: 3 } });
    await node('test').click();
    await details.locator('#details-error', { hasText: 'exit 1: 2 tests failed' }).waitFor();
    assert.equal(await details.locator('#retry').innerText(), 'Retry Step');
    await node('plan').click();
    assert.deepEqual(JSON.parse(await details.locator('#details-result pre').innerText()), { files: 3 });
    assert.equal(await node('plan').getAttribute('aria-pressed'), 'true');
    await view.page.screenshot({ path: resolve(SHOTS, 'workflow-graph-webview-details.png'), fullPage: true });
  });

  it('follows pushes without laying out again, keeps the step picked across a reload, and asks the host to act', async () => {
    await show(diamond());
    await node('test').click();
    await view.page.locator('#details h2', { hasText: 'test' }).waitFor();
    const before = await node('review').getAttribute('transform');
    await show({ ...diamond({ lint: { state: 'completed', endedAt: 2000 }, test: { state: 'queued', attempts: 0, error: undefined } }), openSteps: 2 });
    await view.page.locator('g.step[data-step="test"][data-state="queued"]').waitFor();
    assert.equal(await node('review').getAttribute('transform'), before, 'the same steps keep their places');
    assert.equal(await view.page.locator('#retry').count(), 0, 'no retry for a step no longer failed');

    await view.page.locator('#actions vscode-button[data-action="pause"]').click();
    const act = (await view.posted((m) => m.kind === 'request' && m.method === 'act')) as RequestMessage;
    assert.deepEqual(act.params, { action: 'pause' });

    await view.page.reload();
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
    await view.page.addStyleTag({ content: THEME });
    await show(diamond());
    await view.page.locator('#details h2', { hasText: 'test' }).waitFor();
    await show(null);
    await view.page.locator('#status', { hasText: 'pr-42: not loaded' }).waitFor();
    assert.equal(await view.page.locator('g.step').count(), 0);
  });
});
