import assert from 'node:assert/strict';
import { FleetStore } from '../../../extension/model/fleet-store';
import { summarize } from '../../../extension/status-bar-summary';
import { agent, approval } from './fixtures';

describe('status bar summary', () => {
  it('counts agents, stale agents and approvals, with the matching icon and background', () => {
    const store = new FleetStore();
    const now = Date.now();
    store.applySnapshot({ agents: Array.from({ length: 12 }, (_, i) => agent(`a${i}`, { lastBeatAt: i < 2 ? now - 120_000 : now })), approvals: [] });
    assert.deepEqual(
      { text: summarize('connected', store, 30).text, background: summarize('connected', store, 30).background },
      { text: '$(warning) 12 agents · 2 stale', background: 'warning' },
    );
    store.applySnapshot({ agents: [agent('x')], approvals: [approval('r1'), approval('r2')] });
    assert.equal(summarize('connected', store, 30).text, '$(bell-dot) 1 agent · 2 approvals');
    store.applySnapshot({ agents: [agent('x'), agent('y')], approvals: [] });
    assert.equal(summarize('connected', store, 30).text, '$(pulse) 2 agents');
    assert.match(summarize('connected', store, 30, undefined, 'ws://127.0.0.1:7420/v1 · state dir /s · daemon 0.1.0').tooltip, /Daemon: ws:\/\/127\.0\.0\.1:7420\/v1 · state dir \/s · daemon 0\.1\.0/);
    const offline = summarize('disconnected', store, 30, 'ECONNREFUSED', 'state dir /s');
    assert.equal(offline.text, '$(debug-disconnect) Switchboard offline');
    assert.equal(offline.background, 'error');
    assert.match(offline.tooltip, /not connected to its daemon \(state dir \/s\)\.\n\nECONNREFUSED/);
    store.dispose();
  });
});
