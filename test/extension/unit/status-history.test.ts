import assert from 'node:assert/strict';
import { StatusHistory } from '../../../extension/agent-detail/status-history';
import { FleetStore } from '../../../extension/model/fleet-store';
import { agent, pushed } from './fixtures';

describe('StatusHistory (agent details)', () => {
  it('adds a sample when an agent’s status or task changes, not on a beat that changes neither', () => {
    const store = new FleetStore(10_000);
    const history = new StatusHistory(store);
    store.applySnapshot({ agents: [agent('a', { status: 'starting', currentTask: null })], approvals: [] });
    store.flush();
    for (const progress of [0.1, 0.2]) store.applyEvent(pushed('agents', 'agent.beat', agent('a', { progress, currentTask: 'plan' })));
    store.flush();
    store.applyEvent(pushed('agents', 'agent.beat', agent('a', { progress: 0.3, currentTask: 'plan' })));
    store.flush();
    store.applyEvent(pushed('agents', 'agent.stopped', agent('a', { status: 'failed', alive: false, currentTask: 'plan' })));
    store.flush();
    assert.deepEqual(history.of('a').map((s) => [s.status, s.task]), [
      ['starting', null],
      ['running', 'plan'],
      ['failed', 'plan'],
    ]);
    assert.deepEqual(history.of('nobody'), []);
    history.dispose();
    store.dispose();
  });
});
