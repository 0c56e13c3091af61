import assert from 'node:assert/strict';
import { approvalSummary } from '../../../extension/model/approval-summary';

describe('approval summary (notification text)', () => {
  it('names the first scalar fields of the context, clipped', () => {
    assert.equal(approvalSummary({ context: { branch: 'feat/login', files: ['a'], pr: 42, draft: false, extra: 'x' } }), 'branch: feat/login, pr: 42, draft: false');
    assert.equal(approvalSummary({ context: { note: 'n'.repeat(60) } }), `note: ${'n'.repeat(39)}…`);
  });

  it('falls back to the agent’s task, and to nothing', () => {
    assert.equal(approvalSummary({ context: ['a'] }, 'Deploying api'), 'while "Deploying api"');
    assert.equal(approvalSummary({ context: {} }), '');
  });
});
