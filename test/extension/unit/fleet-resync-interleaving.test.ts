import assert from 'node:assert/strict';
import { silentLogger } from '../../../common/logger';
import type { Approval, PushedEvent } from '../../../protocol/types';
import { DaemonConnection } from '../../../extension/connection/daemon-connection';
import { FleetStore } from '../../../extension/model/fleet-store';
import { approval, pushed } from './fixtures';

/**
 * The real-host workbench e2e saw a just-requested approval missing from the Approvals view: a
 * second resync (a seq gap during the first snapshot) was on its way when the first one's answer
 * was applied and stopped holding events; the approval.requested push then went straight to the
 * store, and the second answer, read by the daemon before that request, cleared it.
 */
describe('DaemonConnection: overlapping resyncs and the pushes between them', () => {
  let store: FleetStore;
  let connection: DaemonConnection;
  let pending: ((approvals: Approval[]) => void)[];
  // The connection's private steps, driven directly with a fake client.
  let internals: { client: unknown; resync(): Promise<void>; onEvent(event: PushedEvent): void };

  beforeEach(() => {
    pending = [];
    store = new FleetStore(10_000);
    connection = new DaemonConnection({ store, log: silentLogger, settings: () => ({ stateDir: '/nonexistent', autoStart: false }), launch: () => Promise.reject(new Error('unused')), clientName: 'test' });
    internals = connection as unknown as typeof internals;
    internals.client = {
      agents: { list: async () => [] },
      approvals: { pending: () => new Promise<Approval[]>((resolve) => pending.push(resolve)) },
      events: { types: async () => [], recent: async () => [] },
      outcomes: { stats: async () => ({ agents: [] }) },
      close: () => undefined,
    };
  });
  afterEach(() => {
    connection.stop();
    store.dispose();
  });

  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('applies only the newest snapshot, then every push held meanwhile: an approval requested between the two answers stays', async () => {
    const first = internals.resync();
    const second = internals.resync(); // a seq gap while the first snapshot loads
    assert.equal(pending.length, 2);
    pending[0]!([approval('old')]);
    await first;
    internals.onEvent(pushed('approvals', 'approval.requested', approval('merge-right', { type: 'merge', agentId: 'e2e-right' })));
    // The daemon read the second answer before that request, and sent it after.
    pending[1]!([approval('old')]);
    await second;
    await tick();
    assert.deepEqual([...store.approvals.keys()].sort(), ['merge-right', 'old']);
    // And from now on pushes go straight to the store.
    internals.onEvent(pushed('approvals', 'approval.approved', approval('old', { status: 'approved' })));
    assert.deepEqual([...store.approvals.keys()], ['merge-right']);
  });

  it('keeps the pushes held during a snapshot that fails', async () => {
    store.applySnapshot({ agents: [], approvals: [] });
    const run = internals.resync();
    internals.onEvent(pushed('approvals', 'approval.requested', approval('r1')));
    pending[0]!(undefined as never); // a broken answer: the snapshot throws
    await run;
    assert.deepEqual([...store.approvals.keys()], ['r1']);
  });
});
