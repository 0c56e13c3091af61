/** `switchboard feedback stats|recommend` and `switchboard approve ID --answer VALUE`. */
import assert from 'node:assert/strict';
import type { Approval, FeedbackStats, TierRecommendation } from '../../protocol/types';
import { cliSuite } from '../helpers/cli-suite';

describe('switchboard feedback / approve --answer', function () {
  this.timeout(20_000);
  const suite = cliSuite();
  const { cli } = suite;

  before(async () => {
    for (const quality of [0.5, 0.6, 0.4]) await suite.daemon.rpc('feedback.record', { workflow: 'wf', stage: 'draft', tier: 'cheap', quality });
  });

  it('feedback stats prints every tier, or one as JSON', async () => {
    const text = await cli('feedback', 'stats', 'wf', 'draft');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^TIER\s+COUNT\s+AVG\s+MIN\s+MAX\s+TREND/m);
    assert.match(text.stdout, /^cheap\s+3\s+0\.5\s+0\.4\s+0\.6\s+stable/m);
    assert.match(text.stdout, /^premium\s+0\s+-\s+-\s+-\s+stable/m);
    const json = JSON.parse((await cli('feedback', 'stats', 'wf', 'draft', 'cheap', '--json')).stdout) as FeedbackStats;
    assert.deepEqual([json.tier, json.count, json.avg], ['cheap', 3, 0.5]);
    const bad = await cli('feedback', 'stats', 'wf', 'draft', 'gold');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /tier must be one of cheap, capable, premium/);
  });

  it('feedback recommend prints the change and its reason', async () => {
    const text = await cli('feedback', 'recommend', 'wf', 'draft', 'cheap');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^upgrade → capable {2}\(confidence 0\.15\)\navg 0\.5 over 3 samples is below 0\.7/);
    const json = JSON.parse((await cli('feedback', 'recommend', 'wf', 'draft', 'premium', '--json')).stdout) as TierRecommendation;
    assert.equal(json.change, 'keep');
  });

  it('approve --answer answers a question: a choice as typed, JSON or text for a schema; a wrong one exits 1', async () => {
    const choice = (await suite.daemon.rpc('approval.create', { agentId: 'a', type: 'question', context: 'n?', choices: ['1', '2'] })).result as Approval;
    const wrong = await cli('approve', choice.requestId, '--answer', '3');
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /answer must be one of the choices: "1", "2"/);
    const ok = await cli('approve', choice.requestId, '--answer', '2');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^approved .*: "2"$/m);

    const schema = (await suite.daemon.rpc('approval.create', { agentId: 'a', type: 'question', context: 'n?', answerSchema: { type: 'object' } })).result as Approval;
    const json = JSON.parse((await cli('approve', schema.requestId, '--answer', '{"n":1}', '--json')).stdout) as Approval;
    assert.deepEqual(json.answer, { n: 1 });
    const text = (await suite.daemon.rpc('approval.create', { agentId: 'a', type: 'question', context: 'branch?', answerSchema: { type: 'string' } })).result as Approval;
    assert.match((await cli('approve', text.requestId, '--answer', 'main')).stdout, /: "main"$/m);
  });
});
