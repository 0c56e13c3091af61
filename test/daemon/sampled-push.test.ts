/**
 * SampledPush: a key is pushed when its figures change, and every key again after a snapshot, to
 * the connection that took it only. A real EventHub (never connected: pushes made here do not go
 * through Redis) and recording connections.
 */
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { EventHub, type PushTarget } from '../../daemon/hub/hub';
import { SampledPush } from '../../daemon/hub/sampled-push';

/** A connection subscribed to `queues` that keeps the `data` of each push it gets. */
function connection(hub: EventHub): PushTarget & { got: () => unknown[] } {
  let frames: string[] = [];
  const target = {
    push: (frame: string) => frames.push(frame) > 0,
    /** What it got since the last call. */
    got: () => {
      const data = frames.map((frame) => (JSON.parse(frame) as { params: { data: unknown } }).params.data);
      frames = [];
      return data;
    },
  };
  hub.subscribe(target, ['queues']);
  return target;
}

describe('SampledPush', () => {
  const hub = new EventHub(new Redis({ lazyConnect: true }));
  const targets: PushTarget[] = [];
  afterEach(() => targets.splice(0).forEach((target) => hub.dropTarget(target)));
  const connect = () => {
    const target = connection(hub);
    targets.push(target);
    return target;
  };
  let figures: Record<string, number>;
  const sampler = new SampledPush({
    hub,
    topic: 'queues',
    type: 'queue.stats',
    everyMs: 0,
    read: async () => ({ ts: 1, samples: Object.entries(figures).map(([key, dead]) => ({ key, json: JSON.stringify({ queue: key, dead }) })) }),
  });

  it('pushes a key only when its figures change, and every key once more to the connection that took a snapshot (1 dead → 0 → 1 between samples)', async () => {
    const lister = connect();
    const other = connect();
    figures = { mail: 1, builds: 0 };
    await sampler.push();
    const all = [{ queue: 'mail', dead: 1 }, { queue: 'builds', dead: 0 }];
    assert.deepEqual([lister.got(), other.got()], [all, all]);
    await sampler.push();
    assert.deepEqual([lister.got(), other.got()], [[], []], 'unchanged: nothing pushed');
    // The lister read the queues while mail had 0 dead, and mail is back to 1 by the next sample.
    sampler.snapshotTaken(lister);
    await sampler.push();
    assert.deepEqual([lister.got(), other.got()], [all, []], 'the lister gets every key; the other, whose figures are as last pushed, nothing');
    await sampler.push();
    assert.deepEqual([lister.got(), other.got()], [[], []], 'once only');
    // A change goes to everyone, the rest to the lister only.
    sampler.snapshotTaken(lister);
    figures = { mail: 1, builds: 2 };
    await sampler.push();
    assert.deepEqual([lister.got(), other.got()], [[{ queue: 'mail', dead: 1 }, { queue: 'builds', dead: 2 }], [{ queue: 'builds', dead: 2 }]]);
    // An HTTP caller (no connection) cannot subscribe: nothing is owed.
    sampler.snapshotTaken(undefined);
    await sampler.push();
    assert.deepEqual([lister.got(), other.got()], [[], []]);
  });

  it('owes the full push to a snapshot taken while a sample was being read, and after a read that failed', async () => {
    const lister = connect();
    let reading: (() => void) | undefined;
    let failing = false;
    const flaky = new SampledPush({
      hub,
      topic: 'queues',
      type: 'queue.stats',
      everyMs: 0,
      read: async () => {
        reading?.();
        if (failing) throw new Error('Redis away');
        return { ts: 1, samples: [{ key: 'mail', json: '{"queue":"mail"}' }] };
      },
    });
    await flaky.push();
    assert.deepEqual(lister.got(), [{ queue: 'mail' }]);
    reading = () => flaky.snapshotTaken(lister); // read before the snapshot's own figures: it must not count
    await flaky.push();
    reading = undefined;
    assert.deepEqual(lister.got(), []);
    failing = true;
    await assert.rejects(flaky.push(), /Redis away/);
    failing = false;
    await flaky.push();
    assert.deepEqual(lister.got(), [{ queue: 'mail' }], 'pushed once a read succeeded');
    await flaky.push();
    assert.deepEqual(lister.got(), []);
  });
});
