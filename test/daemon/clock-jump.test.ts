/**
 * Durations are measured on the monotonic clock: a jump of the wall clock (NTP step, a suspended
 * VM, someone setting the date) neither fails in-flight Redis calls nor ends waits early. The jump
 * is simulated by moving Date.now an hour ahead once a call or a wait is under way.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { CallDeadlines } from '../../daemon/store/call-deadlines';
import { WaitingCalls } from '../../daemon/hub/waiting-calls';
import { Waiters, waitUntil } from '../../daemon/hub/waiters';

/** Moves the wall clock (Date.now) an hour ahead; returns what puts it back. */
function jumpClockAhead(): () => void {
  const realNow = Date.now;
  Date.now = () => realNow() + 3_600_000;
  return () => (Date.now = realNow);
}

const settleAfter = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('durations across a wall-clock jump', () => {
  let restoreClock: (() => void) | undefined;
  afterEach(() => restoreClock?.());

  it('a Redis call in flight when the clock jumps ahead is not timed out (CallDeadlines)', async () => {
    const deadlines = new CallDeadlines(1_000);
    // The deadline check runs every 100 ms; the call answers after 300 ms, well within its 1 s.
    const call = deadlines.within(settleAfter(300, 'answered'));
    restoreClock = jumpClockAhead();
    assert.equal(await call, 'answered');
  });

  it('a wait woken after the clock jumped ahead keeps waiting for its own timeout (waitUntil)', async () => {
    const waiters = new Waiters();
    const started = performance.now();
    let attempts = 0;
    const found = await waitUntil(waiters, 'agent-1', 400, new WaitingCalls(new AbortController().signal), async () => {
      attempts += 1;
      if (attempts === 1) {
        // The wait has started: the clock jumps, and a wake-up that finds nothing follows. Neither
        // may end the wait, whose time left is on the monotonic clock.
        restoreClock = jumpClockAhead();
        setImmediate(() => waiters.notify('agent-1'));
      }
      return undefined;
    });
    assert.equal(found, undefined);
    assert.equal(attempts, 2, 'looked again once when woken');
    assert.ok(performance.now() - started >= 395, `returned after ${(performance.now() - started).toFixed(0)} ms of its 400`);
  });
});
