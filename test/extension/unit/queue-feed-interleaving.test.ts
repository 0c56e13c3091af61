import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../../client/client';
import { silentLogger } from '../../../common/logger';
import type { PushedEvent, QueueSummary } from '../../../protocol/types';
import { QueueFeed } from '../../../extension/queues/queue-feed';
import { QueueModel } from '../../../extension/queues/queue-model';
import { pushed, summary } from './fixtures';

/**
 * The real-host Queues e2e saw a row keep its old counts for good (about 1 run in 6 under load):
 * the daemon read `queue.list`, sampled and pushed newer `queue.stats`, then sent the list's
 * answer. The sampler pushes a queue again only when its counts change, so nothing corrected the
 * older list once it had overwritten the push.
 */
describe('QueueFeed: a snapshot answer that arrives after a newer stats push', () => {
  let model: QueueModel;
  let feed: QueueFeed;
  let handler: (event: PushedEvent) => void;
  let onResync: () => void;
  let answers: ((list: QueueSummary[]) => void)[];

  beforeEach(async () => {
    answers = [];
    const client = {
      subscribe: async (_topics: unknown, h: (event: PushedEvent) => void, options: { onResync(): void }) => {
        handler = h;
        onResync = options.onResync;
        return {};
      },
      queues: { list: () => new Promise<QueueSummary[]>((resolve) => answers.push(resolve)), dead: async () => [] },
    } as unknown as SwitchboardClient;
    const connection = { state: 'connected' as const, client, on: () => undefined, off: () => undefined };
    model = new QueueModel(10_000);
    feed = new QueueFeed(connection as never, model, silentLogger);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(answers.length, 1, 'the snapshot is asked for on attach');
  });
  afterEach(() => {
    feed.dispose();
    model.dispose();
  });

  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const stats = (data: QueueSummary) => handler({ ...(pushed('queues', 'queue.stats', data) as PushedEvent) });

  it('keeps the pushed counts over the older list answer (attach)', async () => {
    stats(summary('mail', { dead: 1, waiting: { high: 1, normal: 1, low: 0 } }));
    answers[0]!([summary('mail', { waiting: { high: 2, normal: 1, low: 0 } }), summary('build')]);
    await tick();
    assert.equal(model.summaries.get('mail')!.dead, 1, 'the push read after the list is not overwritten');
    assert.deepEqual(model.summaries.get('mail')!.waiting, { high: 1, normal: 1, low: 0 });
    assert.ok(model.summaries.has('build'), 'queues not pushed meanwhile come from the list');
  });

  it('keeps the pushed counts over the older list answer (a resync), and takes the list for the others', async () => {
    answers[0]!([summary('mail'), summary('build', { active: 1 })]);
    await tick();
    onResync();
    assert.equal(answers.length, 2);
    stats(summary('mail', { dead: 1 }));
    answers[1]!([summary('mail'), summary('build', { active: 2 })]);
    await tick();
    assert.equal(model.summaries.get('mail')!.dead, 1);
    assert.equal(model.summaries.get('build')!.active, 2);
    // A push from before the snapshot was asked for gives way to it.
    onResync();
    answers[2]!([summary('mail', { dead: 2 }), summary('build', { active: 2 })]);
    await tick();
    assert.equal(model.summaries.get('mail')!.dead, 2);
  });
});
