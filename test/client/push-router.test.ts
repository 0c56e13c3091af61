/** PushRouter: pushes read before their subscription's reply are held, then delivered in order. */
import assert from 'node:assert/strict';
import { PushRouter } from '../../client/push-router';
import type { PushedEvent } from '../../protocol/types';

const push = (subscriptionId: string, seq: number) => ({ subscriptionId, seq, topic: 'queues', type: 'queue.stats', data: {}, ts: 0 }) as unknown as PushedEvent;

describe('PushRouter', () => {
  it("holds pushes for an id not attached yet while a subscribe is on its way, and delivers them on attach, in order", async () => {
    const got: string[] = [];
    const router = new PushRouter<string>((name, event) => got.push(`${name}#${event.seq}`));
    let reply!: (id: string) => void;
    const subscribed = router.subscribe(() => new Promise<string>((resolve) => (reply = resolve)), 'queues feed');
    // The reply and the first pushes came in one read: the pushes are routed before the awaiting code runs.
    reply('sub-1');
    router.route(push('sub-1', 1));
    router.route(push('sub-1', 2));
    router.route(push('sub-2', 1));
    assert.equal(await subscribed, 'sub-1');
    await Promise.resolve(); // held pushes are handed over just after the subscribe returns
    router.route(push('sub-1', 3));
    assert.deepEqual(got, ['queues feed#1', 'queues feed#2', 'queues feed#3']);
  });

  it('drops pushes for unknown ids when no subscribe is on its way, and forgets what it held once none is', async () => {
    const got: number[] = [];
    const router = new PushRouter<string>((_, event) => got.push(event.seq));
    router.route(push('sub-9', 1));
    // Held while another subscribe was on its way, then forgotten when it ended.
    await router.subscribe(async () => (router.route(push('sub-9', 2)), 'sub-8'), 'other');
    await router.subscribe(async () => 'sub-9', 'late');
    router.route(push('sub-9', 3));
    assert.deepEqual(got, [3]);
    router.detach('sub-9');
    router.route(push('sub-9', 4));
    assert.deepEqual(got, [3]);
  });
});
