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
});
