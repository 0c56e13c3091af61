/** The SDK's ask() and chooseTier() against a real daemon. */
import assert from 'node:assert/strict';
import { ask } from '../../client/ask';
import { chooseTier } from '../../client/choose-tier';
import type { SwitchboardClient } from '../../client/client';
import type { Approval } from '../../protocol/types';
import { useDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';
import { flushRedis } from '../helpers/redis-server';

describe('SDK: ask and chooseTier', () => {
  let client: SwitchboardClient;
  let redisUrl: string;
  useDaemon((env) => {
    client = env.client;
    redisUrl = env.redis.url;
  });

  describe('ask', () => {
    it('files a question with its choices and resolves with the answer given', async () => {
      const events = await record(client, ['approvals']);
      const asking = ask<string>(client, { agentId: 'bot', question: 'Ship it?', choices: ['yes', 'no'], timeoutMs: 60_000 });
      const requested = (await events.next((e) => e.type === 'approval.requested')).data as Approval;
      assert.deepEqual(requested.context, { question: 'Ship it?' });
      assert.equal(requested.type, 'question');
      assert.deepEqual(requested.choices, ['yes', 'no']);
      await client.approvals.respond({ requestId: requested.requestId, approved: true, responder: 'jane', answer: 'no' });
      const answered = await asking;
      assert.equal(answered.answer, 'no');
      assert.equal(answered.status, 'approved');
    });

    it('resolves with the default when nobody answers in time', async () => {
      const answered = await ask(client, { agentId: 'bot', question: 'Branch?', answerSchema: { type: 'string' }, default: 'main', timeoutMs: 200 });
      assert.deepEqual([answered.status, answered.answer], ['expired', 'main']);
    });
  });

  describe('chooseTier', () => {
    beforeEach(() => flushRedis(redisUrl));
    const stage = { workflow: 'wf', stage: 'summarize' };
    const scores = async (tier: 'cheap' | 'capable' | 'premium', n: number, quality: number) => {
      for (let i = 0; i < n; i++) await client.feedback.record({ ...stage, tier, quality });
    };

    it('follows an upgrade backed by more than 14 samples (confidence above 0.7)', async () => {
      await scores('cheap', 15, 0.4);
      const choice = await chooseTier(client, { ...stage, currentTier: 'cheap' });
      assert.equal(choice.tier, 'capable');
      assert.equal(choice.followed, true);
      assert.match(choice.reason, /upgrade to capable \(confidence 0\.75\)/);
    });

    it('keeps the current tier when confidence is exactly 0.7, and says why', async () => {
      await scores('cheap', 14, 0.4);
      const choice = await chooseTier(client, { ...stage, currentTier: 'cheap' });
      assert.equal(choice.tier, 'cheap');
      assert.equal(choice.followed, false);
      assert.equal(choice.recommendation.recommendedTier, 'capable');
      assert.match(choice.reason, /confidence 0\.7 is not above 0\.7/);
    });

    it('keeps without data', async () => {
      const choice = await chooseTier(client, { ...stage, currentTier: 'premium' });
      assert.deepEqual([choice.tier, choice.followed], ['premium', false]);
      assert.match(choice.reason, /no feedback/);
    });
  });
});
