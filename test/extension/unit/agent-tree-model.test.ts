import assert from 'node:assert/strict';
import { describeAgent, displayState } from '../../../extension/model/agent-display';
import { AgentTreeModel, type AgentNode, type GroupNode, type SignalNode } from '../../../extension/model/agent-tree-model';
import { FleetStore } from '../../../extension/model/fleet-store';
import { agent, pushed } from './fixtures';

describe('Agents tree model', () => {
  let store: FleetStore;
  let model: AgentTreeModel;
  const ids = (nodes: { kind: string }[]) => nodes.map((n) => (n.kind === 'group' ? `[${(n as GroupNode).workflow}]` : (n as AgentNode).agentId));

  beforeEach(() => {
    store = new FleetStore(10_000);
    store.applySnapshot({
      agents: [
        agent('b2', { metadata: { workflow: 'beta' } }),
        agent('a2', { metadata: { workflow: 'alpha' }, alive: false, status: 'failed' }),
        agent('a1', { metadata: { workflow: 'alpha' } }),
        agent('solo'),
      ],
      approvals: [],
    });
    model = new AgentTreeModel(store);
    model.rebuild();
  });
  afterEach(() => store.dispose());

  it('groups by workflow, sorted, "(no workflow)" last, alive agents first', () => {
    assert.deepEqual(ids(model.children()), ['[alpha]', '[beta]', '[(no workflow)]']);
    const alpha = model.children().find((n) => (n as GroupNode).workflow === 'alpha')!;
    assert.deepEqual(ids(model.children(alpha)), ['a1', 'a2']);
    model.grouped = false;
    model.rebuild();
    assert.deepEqual(ids(model.children()), ['a1', 'b2', 'solo', 'a2']);
  });

  it('refreshes only the changed row for a beat', () => {
    store.applyEvent(pushed('agents', 'agent.beat', agent('a1', { metadata: { workflow: 'alpha' }, progress: 0.7 })));
    const refresh = model.update(['a1']);
    assert.deepEqual(refresh, [model.agentNode('a1')]);
  });

  it('refreshes the group when a row moves (ends) or joins it, and the root for a new group', () => {
    store.applyEvent(pushed('agents', 'agent.stopped', agent('a1', { metadata: { workflow: 'alpha' }, alive: false, status: 'completed' })));
    const alpha = model.children().find((n) => (n as GroupNode).workflow === 'alpha')!;
    assert.deepEqual(model.update(['a1']), [alpha], 'the group redraws (and its rows with it)');
    store.applyEvent(pushed('agents', 'agent.started', agent('a3', { metadata: { workflow: 'alpha' } })));
    assert.deepEqual(model.update(['a3']), [alpha]);
    store.applyEvent(pushed('agents', 'agent.started', agent('g1', { metadata: { workflow: 'gamma' } })));
    assert.equal(model.update(['g1']), undefined, 'a new group: the whole tree');
    assert.ok(ids(model.children()).includes('[gamma]'));
  });

  it('moves an agent whose workflow changes, dropping the emptied group', () => {
    store.applyEvent(pushed('agents', 'agent.beat', agent('b2', { metadata: { workflow: 'alpha' } })));
    assert.equal(model.update(['b2']), undefined, 'group beta disappeared: the root changes');
    assert.deepEqual(ids(model.children()), ['[alpha]', '[(no workflow)]']);
    assert.equal(model.parentOf(model.agentNode('b2')!), model.children()[0]);
  });

  it('shows pending signals as an agent’s children', () => {
    const now = Date.now();
    store.applyEvent(pushed('signals', 'signal.sent', { signalId: 's1', type: 'pause', source: 'x', target: 'solo', payload: null, sentAt: now, expiresAt: now + 60_000 }));
    model.update(['solo']);
    const solo = model.agentNode('solo')!;
    assert.equal(solo.signalCount, 1);
    assert.deepEqual(model.children(solo).map((n) => n.kind), ['signal']);
  });

  it('answers children between a new snapshot and its rebuild, skipping agents that are gone', () => {
    store.applySnapshot({ agents: [agent('other-daemon-agent')], approvals: [] });
    const alpha = model.children().find((n) => (n as GroupNode).workflow === 'alpha')!;
    assert.deepEqual(ids(model.children(alpha)), []);
    model.grouped = false;
    assert.deepEqual(ids(model.children()), []);
  });

  it('collapses pending signals of one type and sender into one row with a count', () => {
    const now = Date.now();
    const send = (signalId: string, type: string, source: string, sentAt: number) =>
      store.applyEvent(pushed('signals', 'signal.sent', { signalId, type, source, target: 'solo', payload: { signalId }, sentAt, expiresAt: now + 60_000 }));
    for (let i = 0; i < 14; i++) send(`r${i}`, 'review.requested', 'coder-1', now - 60_000 + i);
    send('p1', 'pause', 'boss', now);
    model.update(['solo']);
    const rows = model.children(model.agentNode('solo')!) as SignalNode[];
    assert.deepEqual(rows.map((r) => [r.signal.type, r.count]), [['review.requested', 14], ['pause', 1]]);
    assert.equal(rows[0]!.signal.signalId, 'r13', 'the newest stands for the row');
    assert.equal(rows[0]!.oldestSentAt, now - 60_000, 'its age is the oldest one’s');
  });

  it('hides finished agents and other workflows when filtered, redrawing the tree when a row is filtered in or out', () => {
    model.filter = { hideFinished: true };
    model.rebuild();
    const alpha = () => model.children().find((n) => (n as GroupNode).workflow === 'alpha')!;
    assert.deepEqual(ids(model.children(alpha())), ['a1'], 'a2 failed: hidden');
    store.applyEvent(pushed('agents', 'agent.stopped', agent('b2', { metadata: { workflow: 'beta' }, alive: false, status: 'completed' })));
    assert.equal(model.update(['b2']), undefined, 'b2 left the view: the tree redraws');
    assert.deepEqual(ids(model.children()), ['[alpha]', '[(no workflow)]'], 'beta has nothing left to show');
    model.filter = { hideFinished: false, workflows: new Set(['beta']) };
    model.rebuild();
    assert.deepEqual(ids(model.children()), ['[beta]']);
    assert.equal(model.hiddenCount(), 3);
    store.applyEvent(pushed('agents', 'agent.beat', agent('a1', { metadata: { workflow: 'alpha' }, progress: 0.9 })));
    assert.deepEqual(model.update(['a1']), [], 'a beat of a hidden agent redraws nothing');
  });

  it('describes rows as "65% · task" and derives stale and waiting', () => {
    assert.equal(describeAgent(agent('x', { progress: 0.654, currentTask: 'Analyzing…' })), '65% · Analyzing…');
    assert.equal(describeAgent(agent('x', { progress: 1, currentTask: null })), '100%');
    const now = Date.now();
    assert.equal(displayState(agent('x', { lastBeatAt: now - 31_000 }), 30, now), 'stale');
    assert.equal(displayState(agent('x', { lastBeatAt: now - 31_000, alive: false, status: 'expired' }), 30, now), 'expired');
    assert.equal(displayState(agent('x', { lastBeatAt: now }), 30, now, true), 'waiting');
    assert.equal(displayState(agent('x', { lastBeatAt: now - 31_000 }), 30, now, true), 'stale', 'silent matters more than waiting');
  });

  it('handles 10 000 agents: snapshot, then a burst of deltas refreshed row by row', () => {
    const big = new FleetStore(10_000);
    big.applySnapshot({ agents: Array.from({ length: 10_000 }, (_, i) => agent(`agent-${i}`, { metadata: { workflow: `wf-${i % 25}` } })), approvals: [] });
    const bigModel = new AgentTreeModel(big);
    bigModel.rebuild();
    assert.equal(bigModel.children().length, 25);
    assert.equal(bigModel.children(bigModel.children()[0]).length, 400);
    const changed = Array.from({ length: 1000 }, (_, i) => `agent-${i * 7}`);
    for (const id of changed) big.applyEvent(pushed('agents', 'agent.beat', agent(id, { metadata: { workflow: `wf-${Number(id.slice(6)) % 25}` }, progress: 0.9 })));
    const refresh = bigModel.update(changed)!;
    assert.equal(refresh.length, 1000, 'one row per changed agent, no full refresh');
    big.dispose();
  });
});
