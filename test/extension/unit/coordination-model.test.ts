import assert from 'node:assert/strict';
import { CoordinationModel, type CoordinationChange, type CoordinationEvent } from '../../../extension/coordination/coordination-model';
import type { BarrierInfo, Lock, PermitEvent } from '../../../protocol/types';
import { pushed } from './fixtures';

const push = (type: string, data: unknown) => pushed('coordination', type, data) as CoordinationEvent;
const lock = (name: string, fencingToken: number, owner = 'a1'): Lock => ({ name, owner, fencingToken, expiresAt: Date.now() + 30_000 });
const permit = (name: string, permitId: string, owner: string, held: number): PermitEvent => ({ name, permitId, owner, expiresAt: Date.now() + 30_000, limit: 3, held });
const barrier = (name: string, arrived: number, generation = 0): BarrierInfo => ({ name, parties: 3, arrived, generation });
const empty = { locks: [], semaphores: [], barriers: [] };

describe('CoordinationModel (Coordination view model)', () => {
  let model: CoordinationModel;
  let changes: CoordinationChange[];
  beforeEach(() => {
    model = new CoordinationModel(10_000);
    changes = [];
    model.onDidChange((c) => changes.push(c));
  });
  afterEach(() => model.dispose());

  it('takes the listings as the snapshot and pushes on top, naming the changed rows once per flush', () => {
    model.applySnapshot({ locks: [lock('deploy', 4)], semaphores: [{ name: 'gpu', limit: 2, holders: [{ permitId: 'p1', owner: 'w1', expiresAt: 1 }] }], barriers: [barrier('phase', 1)] }, model.mark());
    model.flush();
    assert.equal(changes[0]!.rows, 'all');
    model.applyEvent(push('lock.renewed', lock('deploy', 4)));
    model.applyEvent(push('semaphore.acquired', permit('gpu', 'p2', 'w2', 2)));
    model.applyEvent(push('barrier.arrived', barrier('phase', 2)));
    assert.equal(changes.length, 1, 'nothing before the flush');
    model.flush();
    assert.deepEqual([...(changes[1]!.rows as Set<string>)].sort(), ['barrier:phase', 'lock:deploy', 'semaphore:gpu']);
    assert.deepEqual(model.semaphore('gpu')!.holders.map((h) => h.owner), ['w1', 'w2'], 'by when their permits end');
    assert.equal(model.semaphores.get('gpu')!.limit, 3, 'the limit of the latest acquire');
    assert.equal(model.barriers.get('phase')!.arrived, 2);
  });

  it('drops what a release, an expiry, a barrier release or its last withdrawal ends', () => {
    model.applySnapshot(empty, model.mark());
    model.applyEvent(push('lock.acquired', lock('deploy', 7)));
    model.applyEvent(push('semaphore.acquired', permit('gpu', 'p1', 'w1', 1)));
    model.applyEvent(push('semaphore.acquired', permit('gpu', 'p2', 'w2', 2)));
    model.applyEvent(push('barrier.arrived', barrier('phase', 1)));
    model.applyEvent(push('barrier.arrived', barrier('join', 1)));
    model.applyEvent(push('lock.expired', lock('deploy', 7)));
    model.applyEvent(push('semaphore.released', permit('gpu', 'p1', 'w1', 1)));
    assert.deepEqual([...model.semaphores.get('gpu')!.holders.keys()], ['p2']);
    model.applyEvent(push('semaphore.expired', permit('gpu', 'p2', 'w2', 0)));
    model.applyEvent(push('barrier.released', barrier('phase', 3)));
    model.applyEvent(push('barrier.timedout', barrier('join', 0)));
    assert.ok(model.isEmpty(), 'nothing held or waited on');
  });

  it("keeps a newer grant when an older grant's end is pushed", () => {
    model.applySnapshot(empty, model.mark());
    model.applyEvent(push('lock.acquired', lock('deploy', 8, 'new')));
    model.applyEvent(push('lock.expired', lock('deploy', 7, 'old')));
    assert.equal(model.locks.get('deploy')?.owner, 'new');
  });

  it('replays the pushes that came while the snapshot was on its way, whichever the daemon read first', () => {
    // The listing was read before the release and the new grant: the pushes bring it up to date.
    let mark = model.mark();
    model.applyEvent(push('lock.released', lock('deploy', 3)));
    model.applyEvent(push('lock.acquired', lock('deploy', 4, 'b2')));
    model.applySnapshot({ ...empty, locks: [lock('deploy', 3, 'b1')] }, mark);
    assert.equal(model.locks.get('deploy')?.fencingToken, 4);
    // Read after them: replaying them changes nothing.
    mark = model.mark();
    model.applyEvent(push('semaphore.acquired', permit('gpu', 'p9', 'w9', 1)));
    model.applyEvent(push('semaphore.released', permit('gpu', 'p9', 'w9', 0)));
    model.applySnapshot({ ...empty, locks: [lock('deploy', 4, 'b2')] }, mark);
    assert.equal(model.semaphores.size, 0);
    assert.equal(model.locks.get('deploy')?.owner, 'b2');
  });

  it('drops an answer older than a snapshot applied already, and forgets an abandoned one', () => {
    const older = model.mark();
    const newer = model.mark();
    model.applySnapshot({ ...empty, barriers: [barrier('phase', 2)] }, newer);
    model.applySnapshot({ ...empty, barriers: [barrier('phase', 1)] }, older);
    assert.equal(model.barriers.get('phase')?.arrived, 2);
    const lost = model.mark();
    model.applyEvent(push('barrier.arrived', barrier('phase', 3)));
    model.abandon(lost);
    model.applyEvent(push('barrier.arrived', barrier('other', 1)));
    assert.equal(model.barriers.size, 2, 'pushes still apply');
  });
});
