import assert from 'node:assert/strict';
import { mergeHandlers } from '../../daemon/runtime/daemon';
import { MODULES } from '../../daemon/modules';
import { METHOD_NAMES } from '../../protocol/methods';

describe('domain modules', () => {
  const noop = async () => null;

  it('refuse to start with a protocol method no module handles, or one two modules handle', () => {
    const all = Object.fromEntries(METHOD_NAMES.map((method) => [method, noop]));
    assert.equal(Object.keys(mergeHandlers([all])).length, METHOD_NAMES.length);
    const { 'agent.get': _dropped, ...missingOne } = all;
    assert.throws(() => mergeHandlers([missingOne]), /no domain module handles agent\.get/);
    assert.throws(() => mergeHandlers([all, { 'signal.send': noop }]), /two domain modules handle signal\.send/);
  });

  it('are listed once each, by name', () => {
    const names = MODULES.map((module) => module.name);
    assert.deepEqual([...new Set(names)], names);
    assert.deepEqual(names, ['session', 'agents', 'signals', 'approvals', 'events', 'queues', 'outcomes', 'safety', 'coordination', 'feedback', 'workflows', 'routing']);
  });
});
