import assert from 'node:assert/strict';
import { DEFAULTS } from '../../../protocol/limits';
import { WorkflowModel, type WorkflowChange, type WorkflowEvent } from '../../../extension/workflows/workflow-model';
import { pushed, workflow, workflowStep, workflowSummary } from './fixtures';

const push = (type: string, data: unknown) => pushed('workflows', type, data) as WorkflowEvent;

describe('WorkflowModel (Workflows view model)', () => {
  let model: WorkflowModel;
  let changes: WorkflowChange[];
  beforeEach(() => {
    model = new WorkflowModel(10_000);
    changes = [];
    model.onDidChange((c) => changes.push(c));
  });
  afterEach(() => model.dispose());

  it('takes workflow.list as the snapshot, newest first, and workflow pushes on top, naming the changed runs once per flush', () => {
    model.applySnapshot([workflowSummary('old', { startedAt: 1 }), workflowSummary('new', { startedAt: 2 })]);
    model.flush();
    assert.equal(changes[0]!.workflows, 'all');
    assert.deepEqual(model.workflows().map((s) => s.workflowId), ['new', 'old']);
    assert.equal(model.applyEvent(push('workflow.paused', workflowSummary('old', { startedAt: 1, status: 'paused' }))), 'old', 'names the run to read again');
    model.applyEvent(push('workflow.started', workflowSummary('newer', { startedAt: 3 })));
    model.applyEvent(push('workflow.resumed', workflowSummary('old', { startedAt: 1 })));
    assert.equal(changes.length, 1, 'nothing before the flush');
    model.flush();
    assert.deepEqual([...(changes[1]!.workflows as Set<string>)].sort(), ['newer', 'old']);
    assert.equal(model.summaries.get('old')!.status, 'running', 'the newest push wins');
    assert.deepEqual(model.workflows().map((s) => s.workflowId), ['newer', 'new', 'old']);
  });

  it('keeps as many runs as a snapshot holds: pushes past that let go of the oldest ended runs nobody looks at', () => {
    const kept = DEFAULTS.workflowListCount;
    model.watch('run-0');
    for (let i = 0; i < kept + 5; i++) model.applyEvent(push('workflow.completed', workflowSummary(`run-${i}`, { startedAt: i, status: 'completed', endedAt: i + 1 })));
    model.applyEvent(push('workflow.started', workflowSummary('running', { startedAt: -1 })));
    assert.equal(model.summaries.size, kept);
    const ids = new Set(model.workflows().map((s) => s.workflowId));
    assert.ok(ids.has('run-0') && ids.has('running'), 'the watched and the running runs stay, however old');
    for (let i = 1; i <= 6; i++) assert.ok(!ids.has(`run-${i}`), `run-${i} let go`);
    assert.ok(ids.has(`run-${kept + 4}`) && ids.has('run-7'));
  });

  it('keeps a run pushed while the snapshot was on its way, and answers the loaded runs to read again', () => {
    model.setWorkflow('a', workflow('a', [workflowStep('s')]));
    const mark = model.mark();
    model.applyEvent(push('workflow.completed', workflowSummary('b', { status: 'completed' })));
    const reload = model.applySnapshot([workflowSummary('a'), workflowSummary('b', { status: 'running' })], mark);
    assert.equal(model.summaries.get('b')!.status, 'completed', 'the push was newer than the list');
    assert.deepEqual(reload, ['a']);
    // A run the list no longer has is forgotten, steps and all.
    assert.deepEqual(model.applySnapshot([workflowSummary('b')]), []);
    assert.equal(model.workflow('a'), undefined);
  });

  it('applies a step event to the loaded steps, keeping their definition, and a read replaces the run', () => {
    model.setWorkflow('w', workflow('w', [workflowStep('a', { state: 'queued', input: { n: 1 } }), workflowStep('b', { dependsOn: ['a'] })]));
    const started = workflowStep('a', { state: 'running', attempts: 1, startedAt: 5 });
    delete started.dependsOn;
    delete started.maxAttempts;
    assert.equal(model.applyEvent(push('step.started', { workflowId: 'w', step: started })), 'w');
    const a = model.workflow('w')!.steps[0]!;
    assert.deepEqual([a.state, a.attempts, a.input, a.maxAttempts], ['running', 1, { n: 1 }, 4]);
    model.setWorkflow('w', workflow('w', [workflowStep('a', { state: 'completed' }), workflowStep('b', { state: 'queued' })], { openSteps: 1 }));
    assert.deepEqual(model.workflow('w')!.steps.map((s) => s.state), ['completed', 'queued']);
    assert.equal(model.summaries.get('w')!.openSteps, 1, 'the summary follows the read');
    assert.ok(!('steps' in model.summaries.get('w')!));
    model.setWorkflow('w', null);
    assert.equal(model.summaries.has('w'), false, 'a run no longer there is dropped');
  });

  it('a step event for a run not loaded changes nothing but names it to read', () => {
    model.applySnapshot([workflowSummary('w')]);
    assert.equal(model.applyEvent(push('step.completed', { workflowId: 'w', step: workflowStep('a', { state: 'completed' }) })), 'w');
    assert.equal(model.workflow('w'), undefined);
  });
});
