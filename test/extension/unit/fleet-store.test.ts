import assert from 'node:assert/strict';
import { FleetStore, type FleetChange } from '../../../extension/model/fleet-store';
import type { Signal } from '../../../protocol/types';
import { agent, approval, outcomeAlert, outcomeStats, pushed } from './fixtures';

function signal(signalId: string, target: string, over: Partial<Signal> = {}): Signal {
  const now = Date.now();
  return { signalId, type: 'pause', source: 'boss', target, payload: null, sentAt: now, expiresAt: now + 60_000, ...over };
}

describe('FleetStore (extension view model)', () => {
  let store: FleetStore;
  let changes: FleetChange[];
  beforeEach(() => {
    store = new FleetStore(10_000);
    changes = [];
    store.onDidChange((c) => changes.push(c));
  });
  afterEach(() => store.dispose());

  it('applies a snapshot, then deltas on top, keeping only pending approvals', () => {
    store.applySnapshot({ agents: [agent('a'), agent('b')], approvals: [approval('r1'), approval('r0', { status: 'approved' })] });
    store.applyEvent(pushed('agents', 'agent.beat', agent('a', { progress: 0.9 })));
    store.applyEvent(pushed('agents', 'agent.started', agent('c')));
    store.applyEvent(pushed('approvals', 'approval.requested', approval('r2')));
    store.applyEvent(pushed('approvals', 'approval.approved', approval('r1', { status: 'approved' })));
    assert.equal(store.agents.get('a')?.progress, 0.9);
    assert.deepEqual([...store.agents.keys()].sort(), ['a', 'b', 'c']);
    assert.deepEqual([...store.approvals.keys()], ['r2']);
  });

  it('coalesces changes into one notification per flush, naming the changed agents', () => {
    store.applySnapshot({ agents: [agent('a'), agent('b')], approvals: [] });
    store.flush();
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.agents, 'all');
    for (let i = 0; i < 100; i++) store.applyEvent(pushed('agents', 'agent.beat', agent(i % 2 ? 'a' : 'b', { progress: i / 100 })));
    assert.equal(changes.length, 1, 'nothing before the flush');
    store.flush();
    assert.equal(changes.length, 2);
    assert.deepEqual([...(changes[1]!.agents as Set<string>)].sort(), ['a', 'b']);
    store.flush();
    assert.equal(changes.length, 2, 'an empty flush says nothing');
  });

  it('flushes by itself after the throttle interval', async () => {
    const quick = new FleetStore(5);
    const seen = new Promise<FleetChange>((resolve) => quick.onDidChange(resolve));
    quick.applyEvent(pushed('agents', 'agent.started', agent('x')));
    assert.deepEqual([...((await seen).agents as Set<string>)], ['x']);
    quick.dispose();
  });

  it('reports new approvals and agents that failed or expired, once', () => {
    store.applyEvent(pushed('approvals', 'approval.requested', approval('r1')));
    store.applyEvent(pushed('approvals', 'approval.requested', approval('r2')));
    store.applyEvent(pushed('approvals', 'approval.rejected', approval('r2', { status: 'rejected' })));
    store.applyEvent(pushed('agents', 'agent.stopped', agent('f', { status: 'failed', alive: false })));
    store.applyEvent(pushed('agents', 'agent.stopped', agent('ok', { status: 'completed', alive: false })));
    store.applyEvent(pushed('agents', 'agent.expired', agent('x', { status: 'expired', alive: false })));
    store.flush();
    assert.deepEqual(changes[0]!.newApprovals.map((a) => a.requestId), ['r1'], 'one answered before the flush is not news');
    assert.deepEqual(changes[0]!.endedBadly.map((a) => a.agentId), ['f', 'x']);
  });

  it('tracks pending signals per agent, broadcasts for everyone, until consumed or cleared', () => {
    store.applySnapshot({ agents: [agent('a'), agent('b')], approvals: [] });
    store.applyEvent(pushed('signals', 'signal.sent', signal('s1', 'a')));
    store.applyEvent(pushed('signals', 'signal.sent', signal('s2', '*')));
    store.applyEvent(pushed('signals', 'signal.sent', signal('s3', 'b', { type: 'other' })));
    assert.deepEqual(store.pendingSignalsFor('a').map((s) => s.signalId), ['s1', 's2']);
    assert.deepEqual(store.pendingSignalsFor('b').map((s) => s.signalId), ['s2', 's3']);
    store.applyEvent(pushed('signals', 'signal.consumed', { signalId: 's1', type: 'pause', source: 'boss', target: 'a', by: 'a' }));
    store.applyEvent(pushed('signals', 'signal.cleared', { agentId: 'b', type: 'other', cleared: 1 }));
    assert.deepEqual(store.pendingSignalsFor('a').map((s) => s.signalId), ['s2']);
    assert.deepEqual(store.pendingSignalsFor('b').map((s) => s.signalId), ['s2']);
    assert.equal(store.signals.get('s1')?.consumedBy, 'a', 'kept as recently consumed');
  });

  it('forgets signals once they expire', () => {
    const past = Date.now() - 1_000;
    store.applyEvent(pushed('signals', 'signal.sent', signal('old', 'a', { sentAt: past - 60_000, expiresAt: past })));
    store.applyEvent(pushed('signals', 'signal.sent', signal('new', 'a')));
    assert.deepEqual([...store.signals.keys()], ['new']);
    assert.deepEqual(store.pendingSignalsFor('a').map((s) => s.signalId), ['new']);
  });

  it('keeps the newest 500 published events', () => {
    for (let i = 0; i < 600; i++) store.applyEvent(pushed('events:*', 'build', { id: `${i}-0`, type: 'build', data: i, ts: i }));
    assert.equal(store.events.length, 500);
    assert.equal(store.events.at(-1)!.data, 599);
  });

  it('derives stale agents from the last beat', () => {
    const now = Date.now();
    store.applySnapshot({ agents: [agent('fresh', { lastBeatAt: now }), agent('silent', { lastBeatAt: now - 60_000 }), agent('done', { alive: false, lastBeatAt: 0 })], approvals: [] });
    assert.deepEqual(store.staleAgents(30, now).map((a) => a.agentId), ['silent']);
  });

  it('keeps each agent’s outcome stats from the snapshot and its pushes, dropping an agent whose outcomes left the window', () => {
    store.applySnapshot({ agents: [agent('a')], approvals: [], outcomeStats: [outcomeStats('a'), outcomeStats('b')] });
    store.flush();
    assert.equal(changes[0]!.outcomeStats, 'all');
    store.applyEvent(pushed('outcomes', 'outcome.stats', outcomeStats('a', { count: 30, alerting: true })));
    store.applyEvent(pushed('outcomes', 'outcome.stats', outcomeStats('b', { count: 0 })));
    store.flush();
    assert.deepEqual([...(changes[1]!.outcomeStats as Set<string>)].sort(), ['a', 'b']);
    assert.equal(store.outcomeStats.get('a')?.count, 30);
    assert.equal(store.outcomeStats.get('a')?.alerting, true);
    assert.equal(store.outcomeStats.has('b'), false);
  });

  it('reports failure-rate alerts and recoveries in order, and no change for single outcomes or queue counts', () => {
    store.applyEvent(pushed('outcomes', 'outcome.recorded', [{ agentName: 'a' }]));
    store.applyEvent(pushed('queues', 'queue.stats', { queue: 'q' }));
    store.flush();
    assert.equal(changes.length, 0, 'the dashboard and the Queues feature take those themselves');
    store.applyEvent(pushed('outcomes', 'alert.failure_rate', outcomeAlert('a')));
    store.applyEvent(pushed('outcomes', 'alert.recovered', outcomeAlert('a', { errorRate: 0.04 })));
    store.flush();
    assert.deepEqual(changes[0]!.alerts.map(({ type, alert }) => [type, alert.agentName, alert.errorRate]), [
      ['alert.failure_rate', 'a', 0.25],
      ['alert.recovered', 'a', 0.04],
    ]);
  });
});
