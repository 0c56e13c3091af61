import assert from 'node:assert/strict';
import { PAYLOAD_SHOWN_CHARS, deadJobLabel, deadJobTooltip, describeDeadJob, describeQueue, moment, queueTooltip } from '../../../extension/queues/queue-display';
import { deadJob, summary } from './fixtures';

describe('Queues view texts', () => {
  it('describes a queue by its counts, dead first, waiting with its high and low ones, zeros left out', () => {
    assert.equal(describeQueue(summary('q')), '0 waiting');
    assert.equal(describeQueue(summary('q', { waiting: { high: 0, normal: 4, low: 0 }, active: 2 })), '4 waiting · 2 active');
    assert.equal(
      describeQueue(summary('q', { waiting: { high: 2, normal: 3, low: 1 }, delayed: 1, active: 2, dead: 1 })),
      '1 dead · 6 waiting (2 high, 1 low) · 1 delayed · 2 active',
    );
  });

  it('puts every count in the queue tooltip, with the completed total and the max length', () => {
    const text = queueTooltip(summary('my_queue', { waiting: { high: 1, normal: 2, low: 3 }, delayed: 4, active: 5, dead: 6, completed: 7, completedTotal: 70, maxLength: 1_000_000 }));
    assert.match(text, /^\*\*my\\_queue\*\* — \$\(warning\) 6 dead jobs/);
    assert.match(text, /Waiting: 1 high · 2 normal · 3 low/);
    assert.match(text, /Delayed: 4 · Active: 5 · Dead: 6/);
    assert.match(text, /Completed: 70 in all \(the newest 7 kept\)/);
    assert.match(text, new RegExp(`Holds 15 of at most ${(1_000_000).toLocaleString()} `));
    assert.doesNotMatch(queueTooltip(summary('q')), /kept/, 'nothing kept, nothing said');
  });

  it('labels a dead job by the first line of its error, and says its attempts and when it died', () => {
    const now = new Date(2026, 0, 5, 14, 0, 0).getTime();
    const job = deadJob('q', 'j1', { lastError: 'SMTP 550: mailbox unavailable\n  at send (mail.js:3)', attempts: 1, maxAttempts: 3, finishedAt: now - 60_000 });
    assert.equal(deadJobLabel(job), 'SMTP 550: mailbox unavailable');
    assert.equal(deadJobLabel(deadJob('q', 'j2', { lastError: undefined })), '(no error given)');
    assert.equal(describeDeadJob(job, now), `1 of 3 attempts · died ${new Date(now - 60_000).toLocaleTimeString()}`);
    assert.equal(moment(now - 86_400_000, now), new Date(now - 86_400_000).toLocaleString(), 'the date when not today');
  });

  it('shows the whole error and the payload in the tooltip, a long payload cut, fences that the text cannot close', () => {
    const job = deadJob('q', 'j1', { lastError: 'bad ``` fence', payload: { to: 'a@b.c', body: 'x'.repeat(3000) } });
    const text = deadJobTooltip(job);
    assert.match(text, /\*\*Dead job\*\* `j1`/);
    assert.match(text, /after 3 of 3 attempts/);
    assert.match(text, /````\nbad ``` fence\n````/);
    assert.match(text, /"to": "a@b.c"/);
    assert.match(text, /… \(\d+ more characters\)/);
    assert.ok(text.length < PAYLOAD_SHOWN_CHARS + 500, `${text.length} characters`);
  });
});
