/** SampledPush: a key is pushed when its figures change, and every key again after a snapshot. */
import assert from 'node:assert/strict';
import type { EventHub } from '../../daemon/hub/hub';
import { SampledPush } from '../../daemon/hub/sampled-push';

describe('SampledPush', () => {
  it('pushes a key only when its figures change, and every key once more after snapshotTaken (1 dead → 0 → 1 between samples)', async () => {
    const delivered: string[] = [];
    // The hub's two calls SampledPush makes, recorded.
    const hub = { hasSubscribers: () => true, deliver: (_topic: string, frame: { key: string; json: string }) => delivered.push(`${frame.key}=${frame.json}`) } as unknown as EventHub;
    let figures: Record<string, string> = { mail: '{"dead":1}', builds: '{"dead":0}' };
    const sampler = new SampledPush({ hub, topic: 'queues', type: 'queue.stats', everyMs: 0, read: async () => ({ ts: 1, samples: Object.entries(figures).map(([key, json]) => ({ key, json })) }) });
    await sampler.push();
    assert.deepEqual(delivered.splice(0), ['mail={"dead":1}', 'builds={"dead":0}']);
    await sampler.push();
    assert.deepEqual(delivered.splice(0), [], 'unchanged: nothing pushed');
    // A client listed the queues while mail had 0 dead, and mail is back to 1 by the next sample.
    sampler.snapshotTaken();
    figures = { mail: '{"dead":1}', builds: '{"dead":0}' };
    await sampler.push();
    assert.deepEqual(delivered.splice(0), ['mail={"dead":1}', 'builds={"dead":0}']);
    await sampler.push();
    assert.deepEqual(delivered.splice(0), [], 'once only');
  });

  it('owes the full push to a snapshot taken while a sample was being read, and after a read that failed', async () => {
    const delivered: string[] = [];
    const hub = { hasSubscribers: () => true, deliver: (_topic: string, frame: { key: string }) => delivered.push(frame.key) } as unknown as EventHub;
    let reading: (() => void) | undefined;
    let failing = false;
    const sampler = new SampledPush({
      hub,
      topic: 'queues',
      type: 'queue.stats',
      everyMs: 0,
      read: async () => {
        reading?.();
        if (failing) throw new Error('Redis away');
        return { ts: 1, samples: [{ key: 'mail', json: '{}' }] };
      },
    });
    await sampler.push();
    assert.deepEqual(delivered.splice(0), ['mail']);
    reading = () => sampler.snapshotTaken(); // read before the snapshot's own figures: it must not count
    await sampler.push();
    reading = undefined;
    assert.deepEqual(delivered.splice(0), []);
    failing = true;
    await assert.rejects(sampler.push(), /Redis away/);
    failing = false;
    await sampler.push();
    assert.deepEqual(delivered.splice(0), ['mail'], 'pushed once a read succeeded');
    await sampler.push();
    assert.deepEqual(delivered.splice(0), []);
  });
});
