import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import { runFleet, type Fleet } from '../../examples/demo-fleet/fleet';
import type { AgentStatus, Approval, Lock, PermitEvent, Signal, WorkflowSummary } from '../../protocol/types';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';

describe('demo fleet', function () {
  this.timeout(60_000);
  let d: TestDaemon;
  let fleetClient: SwitchboardClient;
  let fleet: Fleet | undefined;
  after(() => fleet?.stop()); // before the daemon goes (hooks run in the order they are registered)
  useDaemon((env) => ({ d, client: fleetClient } = env));

  it('shows beating agents, signals between them, a failure, an expiry and an approval wait', async () => {
    const watcher = await d.client();
    const log = await record(watcher, ['agents', 'signals', 'approvals']);
    const train = await record(watcher, ['workflows', 'coordination']);
    fleet = runFleet(fleetClient, 0.2);
    const agentEvent = (type: string, agentId: string) => (e: { type: string; data: unknown }) =>
      e.type === type && (e.data as AgentStatus).agentId === agentId;

    for (const agentId of fleet.agentIds) await log.next(agentEvent('agent.started', agentId));
    const beat = await log.next((e) => e.type === 'agent.beat' && (e.data as AgentStatus).agentId === 'coder-1' && (e.data as AgentStatus).progress > 0);
    assert.match((beat.data as AgentStatus).currentTask ?? '', /\(\d\/5\)/);
    const assigned = await log.next((e) => e.type === 'signal.sent' && (e.data as Signal).type === 'task.assigned');
    assert.equal((assigned.data as Signal).source, 'planner');
    await log.next(agentEvent('agent.expired', 'docs-crawler'));
    const failed = await log.next(agentEvent('agent.stopped', 'flaky-tester'));
    assert.equal((failed.data as AgentStatus).status, 'failed');
    const requested = await log.next((e) => e.type === 'approval.requested');
    const approval = requested.data as Approval;
    assert.equal(approval.agentId, 'reviewer');
    assert.equal(approval.type, 'merge');

    // A human answers; the reviewer (blocked in approval.request) moves on and says so.
    const reviewDecisions = await record(watcher, ['events:review.decision']);
    await watcher.approvals.respond({ requestId: approval.requestId, approved: true, responder: 'tester' });
    const decision = await reviewDecisions.next(() => true);
    assert.deepEqual((decision.data as { data: unknown }).data, { task: (approval.context as { task: string }).task, status: 'approved', by: 'tester' });

    // The release train: a workflow run by the builders, unit tests on a CI-runner permit, publishing under the registry lock.
    const released = await train.next((e) => e.type === 'workflow.completed' && (e.data as WorkflowSummary).name === 'release 1.4.1');
    const run = await watcher.workflows.get({ workflowId: (released.data as WorkflowSummary).workflowId });
    assert.deepEqual(run!.steps.map((step) => [step.name, step.state, step.attempts]), [
      ['build', 'completed', 1],
      ['unit-tests', 'completed', 1],
      ['lint', 'completed', 1],
      ['package', 'completed', 1],
      ['publish', 'completed', 1],
    ]);
    const permit = train.events.find((e) => e.type === 'semaphore.acquired')!.data as PermitEvent;
    assert.deepEqual([permit.name, permit.limit], ['ci-runners', 2]);
    assert.match((train.events.find((e) => e.type === 'lock.acquired')!.data as Lock).owner, /^builder-[12]$/);
  });
});
