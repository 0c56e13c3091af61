import assert from 'node:assert/strict';
import { QueueModel, type QueueChange, type QueueEvent } from '../../../extension/queues/queue-model';
import { deadJob, pushed, summary } from './fixtures';

const push = (type: string, data: unknown) => pushed('queues', type, data) as QueueEvent;

describe('QueueModel (Queues view model)', () => {
  let model: QueueModel;
  let changes: QueueChange[];
  beforeEach(() => {
    model = new QueueModel(10_000);
    changes = [];
    model.onDidChange((c) => changes.push(c));
  });
  afterEach(() => model.dispose());

  it('takes queue.list as the snapshot, sorted by name, and queue.stats pushes on top, naming the changed queues', () => {
    model.applySnapshot([summary('mail'), summary('build', { active: 1 })]);
    model.flush();
    assert.equal(changes[0]!.queues, 'all');
    assert.deepEqual(model.queues().map((s) => s.queue), ['build', 'mail']);
    model.applyEvent(push('queue.stats', summary('mail', { delayed: 2 })));
    model.applyEvent(push('queue.stats', summary('mail', { delayed: 3 })));
    model.applyEvent(push('queue.stats', summary('new', { waiting: { high: 1, normal: 0, low: 0 } })));
    assert.equal(changes.length, 1, 'nothing before the flush');
    model.flush();
    assert.deepEqual([...(changes[1]!.queues as Set<string>)].sort(), ['mail', 'new']);
    assert.equal(model.summaries.get('mail')!.delayed, 3, 'the newest push wins');
    assert.deepEqual(model.queues().map((s) => s.queue), ['build', 'mail', 'new']);
    // A snapshot replaces what was known (a resync after missed pushes).
    model.applySnapshot([summary('mail')]);
    assert.deepEqual(model.queues().map((s) => s.queue), ['mail']);
  });

  it('asks for a reload of dead jobs only for watched queues, on job.dead, job.replayed and a purge of dead jobs', () => {
    model.applySnapshot([summary('mail'), summary('build')]);
    assert.equal(model.applyEvent(push('job.dead', deadJob('mail', 'j1'))), undefined, 'not watched');
    model.watch('mail');
    assert.equal(model.applyEvent(push('job.dead', deadJob('mail', 'j2'))), 'mail');
    assert.equal(model.applyEvent(push('job.replayed', { ...deadJob('mail', 'j2'), state: 'waiting' })), 'mail');
    assert.equal(model.applyEvent(push('queue.purged', { queue: 'mail', state: 'dead', removed: 1 })), 'mail');
    assert.equal(model.applyEvent(push('queue.purged', { queue: 'mail', state: 'completed', removed: 4 })), undefined, 'dead jobs untouched');
    assert.equal(model.applyEvent(push('queue.enqueued', { queue: 'mail', added: 1, delayed: 0 })), undefined);
    assert.equal(model.applyEvent(push('job.dead', deadJob('build', 'j3'))), undefined, 'build is not watched');
  });

  it('hands over the jobs that went dead since the last flush, in order, for notifications', () => {
    model.applyEvent(push('job.dead', deadJob('mail', 'j1')));
    model.applyEvent(push('job.dead', deadJob('mail', 'j2')));
    model.flush();
    assert.deepEqual(changes[0]!.newlyDead.map((j) => j.jobId), ['j1', 'j2']);
    model.applyEvent(push('queue.stats', summary('mail')));
    model.flush();
    assert.deepEqual(changes[1]!.newlyDead, [], 'told once');
  });

  it('keeps dead jobs of watched queues only, and counts a reload as a change only when the list differs', () => {
    model.applySnapshot([summary('mail', { dead: 1 })]);
    model.flush();
    model.setDead('mail', [deadJob('mail', 'j1')]);
    assert.equal(model.deadJobs('mail'), undefined, 'an answer for a queue collapsed meanwhile is dropped');
    model.watch('mail');
    const jobs = [deadJob('mail', 'j1')];
    model.setDead('mail', jobs);
    model.flush();
    assert.deepEqual([...(changes[1]!.queues as Set<string>)], ['mail']);
    model.setDead('mail', jobs.map((job) => ({ ...job })));
    model.flush();
    assert.equal(changes.length, 2, 'the same jobs again: no change');
    model.setDead('mail', []);
    model.flush();
    assert.equal(changes.length, 3);
    model.unwatch('mail');
    assert.equal(model.deadJobs('mail'), undefined, 'loaded afresh when opened again');
    assert.deepEqual(model.watchedQueues(), []);
  });
});
