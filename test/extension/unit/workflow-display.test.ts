import assert from 'node:assert/strict';
import { RUN_LOOK, STEP_LOOK, themeColorVar } from '../../../common/workflow-look';
import { describeRun, describeStep, progressText, runTooltip, stepTooltip } from '../../../extension/workflows/workflow-display';
import { workflowStep, workflowSummary } from './fixtures';

describe('workflow display (Workflows view texts)', () => {
  const now = 1_000_000_000;

  it('a run reads state · steps ended of all · age', () => {
    const summary = workflowSummary('w', { stepCount: 5, openSteps: 2, startedAt: now - 125_000 });
    assert.equal(progressText(summary), '3/5');
    assert.equal(describeRun(summary, now), 'running · 3/5 · 2m');
    assert.match(runTooltip({ ...summary, name: 'review *PR*' }), /^\*\*review \\\*PR\\\*\*\* — running: steps are advancing/);
  });

  it('a step reads state · attempts once delivered · how long it ran or has been running · queue', () => {
    assert.equal(describeStep(workflowStep('a'), now), 'pending · q');
    assert.equal(describeStep(workflowStep('a', { state: 'running', attempts: 2, startedAt: now - 12_000 }), now), 'running · attempt 2/4 · for 12s · q');
    assert.equal(describeStep(workflowStep('a', { state: 'completed', attempts: 1, startedAt: now - 9_000, endedAt: now - 4_000 }), now), 'completed · attempt 1/4 · 5.00 s · q');
    assert.equal(describeStep(workflowStep('a', { state: 'completed', attempts: 1, startedAt: now - 9, endedAt: now - 2 }), now), 'completed · attempt 1/4 · 7.0 ms · q');
    assert.equal(describeStep(workflowStep('a', { state: 'failed', attempts: 4, startedAt: now - 200_000, endedAt: now }), now), 'failed · attempt 4/4 · 3m · q');
    // A capability step says what it names and who took it, not its cap: queue.
    assert.equal(describeStep(workflowStep('a', { queue: 'cap:summarize@2', capability: { name: 'summarize', version: '2' } }), now), 'pending · summarize@2');
    assert.equal(describeStep(workflowStep('a', { state: 'running', attempts: 1, startedAt: now, queue: 'cap:summarize', capability: { name: 'summarize' }, agent: 'writer-1' }), now), 'running · attempt 1/4 · for 0s · summarize → writer-1');
  });

  it('a step tooltip has its dependencies, error and result, and no fence a text can close', () => {
    const tip = stepTooltip(workflowStep('b', { state: 'failed', dependsOn: ['a'], error: 'boom ``` here', result: { ok: true } }));
    assert.match(tip, /failed: its last attempt failed/);
    assert.match(tip, /Depends on `a`/);
    assert.match(tip, /boom ''' here/);
    assert.match(tip, /"ok": true/);
  });

  it('every state has an icon and a theme colour, given to a webview as its CSS variable', () => {
    for (const look of [...Object.values(STEP_LOOK), ...Object.values(RUN_LOOK)]) assert.ok(look.icon && look.color && look.meaning);
    assert.equal(themeColorVar(STEP_LOOK.completed.color), 'var(--vscode-charts-green)');
    assert.notEqual(STEP_LOOK.failed.color, STEP_LOOK.completed.color);
  });
});
