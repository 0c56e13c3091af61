import assert from 'node:assert/strict';
import { barrierTooltip, describeBarrier, describeLock, describeSemaphore, lockTooltip, timeLeft } from '../../../extension/coordination/coordination-display';

describe('coordination display (Coordination view rows and tooltips)', () => {
  const now = 1_000_000;

  it('reads time left in 5 s steps under a minute, then as minutes; a lease past its end as ending', () => {
    assert.equal(timeLeft(now + 21_000, now), '25s left');
    assert.equal(timeLeft(now + 25_000, now), '25s left');
    assert.equal(timeLeft(now + 300, now), '5s left');
    assert.equal(timeLeft(now + 90_000, now), '1m left');
    assert.equal(timeLeft(now, now), 'ending');
  });

  it('names the holder, the fencing token and the time left of a lock; used of limit of a semaphore; arrived of parties of a barrier', () => {
    const lock = { name: 'deploy:prod', owner: 'agent-7', fencingToken: 12, expiresAt: now + 30_000 };
    assert.equal(describeLock(lock, now), 'agent-7 · 30s left · token 12');
    assert.match(lockTooltip(lock), /Held by `agent-7` with fencing token \*\*12\*\*/);
    const holder = { permitId: 'p', owner: 'w', expiresAt: now };
    assert.equal(describeSemaphore({ name: 'gpu', limit: 3, holders: [holder, holder] }), '2/3 permits');
    assert.equal(describeSemaphore({ name: 'one', limit: 1, holders: [holder] }), '1/1 permit');
    const barrier = { name: 'phase-1', parties: 3, arrived: 2, generation: 4 };
    assert.equal(describeBarrier(barrier), '2/3 arrived');
    assert.match(barrierTooltip(barrier), /generation 4[\s\S]*released when 1 more arrives/);
  });
});
