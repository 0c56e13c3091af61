/** The SDK's ActionDispatcher against a real daemon: timing, failures with stacks, timeouts, hooks, records that do not hold up the caller. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwitchboardClient } from '../../client/client';
import { ActionDispatcher, TimeoutError, type DispatchResult } from '../../client/dispatch';
import type { OutcomeEvent, PushedEvent } from '../../protocol/types';
import { startTestDaemon, useDaemon, type TestDaemon } from '../helpers/daemon';
import type { TestRedis } from '../helpers/redis-server';
import { record, type EventLog } from '../helpers/events';

describe('ActionDispatcher', () => {
  let client: SwitchboardClient;
  let d: TestDaemon;
  let redis: TestRedis;
  let log: EventLog;
  useDaemon((env) => ({ client, d, redis } = env));
  // Another connection watches, as the editor would.
  before(async () => (log = await record(await d.client(), ['outcomes'])));

  /** Resolves with the recorded outcome once its outcome.recorded push arrives. */
  const landed = async (eventId: string): Promise<OutcomeEvent> => {
    const isMine = (e: PushedEvent) => e.type === 'outcome.recorded' && (e.data as OutcomeEvent[]).some((o) => o.eventId === eventId);
    const pushed = await log.next(isMine);
    return (pushed.data as OutcomeEvent[]).find((o) => o.eventId === eventId)!;
  };

  it('makes the outcome calls of actions that end together after their callers\' continuations ran, and stores them all', async () => {
    // The client as the dispatcher sees it, counting the outcome calls made.
    let made = 0;
    const counting = Object.create(client) as SwitchboardClient;
    counting.call = ((...args: Parameters<SwitchboardClient['call']>) => {
      if (args[0] === 'outcome.record') made++;
      return client.call(...args);
    }) as SwitchboardClient['call'];
    const dispatcher = new ActionDispatcher(counting);
    const together = new Promise((resolve) => setTimeout(resolve, 20));
    const seen = await Promise.all(
      Array.from({ length: 50 }, async () => {
        await dispatcher.dispatch('sdk-agent', 'tool.batch', () => together);
        return made;
      }),
    );
    assert.deepEqual(seen, Array(50).fill(0), 'each caller went on before any record was sent');
    assert.equal(dispatcher.pending, 50);
    await dispatcher.flush();
    assert.deepEqual([made, dispatcher.pending], [50, 0]);
  });

  it('times a successful action and returns before its outcome is sent, which then lands', async () => {
    const dispatcher = new ActionDispatcher(client);
    const result = await dispatcher.dispatch('sdk-agent', 'tool.search', async (action) => {
      action.report({ tokensUsed: 12, costUsd: 0.002 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { hits: 3 };
    }, { tags: ['search'], workflowId: 'wf-sdk', correlationId: 'corr-1' });
    assert.equal(dispatcher.pending, 1, 'the outcome is not stored yet: nothing waited for the daemon');
    assert.equal(result.status, 'success');
    assert.deepEqual(result.output, { hits: 3 });
    assert.ok(result.durationMs >= 19, `durationMs ${result.durationMs}`);
    const stored = await landed(result.eventId);
    await dispatcher.flush();
    assert.equal(dispatcher.pending, 0);
    assert.deepEqual(
      { ...stored, timestamp: 0 },
      {
        eventId: result.eventId,
        timestamp: 0,
        severity: 'info',
        agentName: 'sdk-agent',
        actionType: 'tool.search',
        status: 'success',
        durationMs: result.durationMs,
        tokensUsed: 12,
        costUsd: 0.002,
        output: { hits: 3 },
        tags: ['search'],
        workflowId: 'wf-sdk',
        correlationId: 'corr-1',
      },
    );
  });

  it('records a thrown error as a failure with its type, message and stack', async () => {
    const dispatcher = new ActionDispatcher(client);
    const result = await dispatcher.dispatch('sdk-agent', 'parse', function parseTheInput() {
      throw new RangeError('line 3 is out of range');
    });
    assert.equal(result.status, 'failure');
    assert.ok(result.error instanceof RangeError);
    assert.equal(result.output, undefined);
    const stored = await landed(result.eventId);
    assert.equal(stored.status, 'failure');
    assert.equal(stored.severity, 'error');
    assert.equal(stored.errorType, 'RangeError');
    assert.equal(stored.errorMessage, 'line 3 is out of range');
    assert.match(stored.stackTrace!, /parseTheInput/);
  });

  it('turns an overrun into a timeout: the signal aborts and the late result is ignored', async () => {
    const dispatcher = new ActionDispatcher(client);
    let finishedLate: (value: string) => void = () => {};
    const late = new Promise<string>((resolve) => (finishedLate = resolve));
    const result = await dispatcher.dispatch('sdk-agent', 'slow', (action) =>
      new Promise<string>((resolve) => action.signal.addEventListener('abort', () => setImmediate(() => {
        resolve('too late');
        finishedLate('too late');
      }))), { timeoutMs: 30 });
    assert.equal(result.status, 'timeout');
    assert.equal(result.output, undefined);
    assert.ok(result.error instanceof TimeoutError);
    assert.ok(result.durationMs >= 29);
    await late;
    const stored = await landed(result.eventId);
    assert.equal(stored.status, 'timeout');
    assert.equal(stored.errorType, 'TimeoutError');
    assert.equal(stored.output, undefined);
  });

  it('cancels an action when its signal aborts', async () => {
    const dispatcher = new ActionDispatcher(client);
    const controller = new AbortController();
    const running = dispatcher.dispatch('sdk-agent', 'wait', (action) => new Promise((resolve) => action.signal.addEventListener('abort', resolve)), {
      signal: controller.signal,
    });
    controller.abort();
    const result = await running;
    assert.equal(result.status, 'cancelled');
    assert.equal((await landed(result.eventId)).severity, 'warning');
  });

  it('runs the hooks around the action: dispatcher and call hooks, before in order, after in reverse', async () => {
    const calls: string[] = [];
    const seen: DispatchResult<unknown>[] = [];
    const dispatcher = new ActionDispatcher(client, {
      hooks: { before: () => void calls.push('dispatcher.before'), after: (_a, r) => void (calls.push('dispatcher.after'), seen.push(r)) },
    });
    const result = await dispatcher.dispatch('sdk-agent', 'hooked', () => calls.push('fn'), {
      hooks: { before: async () => void calls.push('call.before'), after: () => void calls.push('call.after') },
    });
    assert.deepEqual(calls, ['dispatcher.before', 'call.before', 'fn', 'call.after', 'dispatcher.after']);
    assert.deepEqual(seen, [result]);
    // a throwing before hook fails the action without running it
    calls.length = 0;
    const refused = await dispatcher.dispatch('sdk-agent', 'hooked', () => calls.push('fn'), {
      hooks: { before: () => { throw new Error('not now'); } },
    });
    assert.equal(refused.status, 'failure');
    assert.deepEqual(calls, ['dispatcher.before', 'dispatcher.after']);
    assert.equal((await landed(refused.eventId)).errorMessage, 'not now');
  });

  it('sends a turn’s outcomes together and flush() resolves once all are stored', async () => {
    const dispatcher = new ActionDispatcher(client);
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => dispatcher.dispatch('sdk-many', 'step', () => i)));
    await dispatcher.flush();
    const stored = await client.outcomes.recent({ agentName: 'sdk-many', count: 1000 });
    assert.deepEqual(new Set(stored.map((o) => o.eventId)), new Set(results.map((r) => r.eventId)));
    assert.equal((await client.outcomes.stats({ agentName: 'sdk-many' })).agents[0]!.count, 300);
  });

  it('splits a turn’s outcomes into frames within the daemon’s frame limit', async () => {
    const dispatcher = new ActionDispatcher(client);
    // 30 outputs of 60 KB: 1.8 MB in one turn, over the 1 MiB a frame may carry
    await Promise.all(Array.from({ length: 30 }, (_, i) => dispatcher.dispatch('sdk-large', 'write', () => `${i}`.padEnd(60_000, 'x'))));
    await dispatcher.flush();
    assert.equal(client.state, 'open', 'the daemon did not close the connection');
    assert.equal((await client.outcomes.stats({ agentName: 'sdk-large' })).agents[0]!.count, 30);
  });

  it('keeps outcomes dispatched while the daemon is down and records each once after it is back', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'sb-dispatch-'));
    const first = await startTestDaemon(redis.url, { stateDir });
    const port = Number(new URL(first.url).port);
    const agent = await SwitchboardClient.connect({ url: first.url, token: first.token, reconnect: { initialDelayMs: 20, maxDelayMs: 50 } });
    try {
      const dispatcher = new ActionDispatcher(agent);
      const before = await dispatcher.dispatch('sdk-restart', 'step', () => 0);
      await dispatcher.flush();
      await first.daemon.stop();
      const during = await Promise.all([1, 2, 3].map((i) => dispatcher.dispatch('sdk-restart', 'step', () => i)));
      const second = await startTestDaemon(redis.url, { stateDir, port });
      try {
        await dispatcher.flush();
        const stored = await client.outcomes.recent({ agentName: 'sdk-restart', count: 100 });
        assert.deepEqual(stored.map((o) => o.eventId), [before, ...during].map((r) => r.eventId));
        assert.equal(dispatcher.dropped, 0);
      } finally {
        await second.stop();
      }
    } finally {
      agent.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('refuses an agent name the daemon would refuse, and leaves out an output over maxValueBytes', async () => {
    const dispatcher = new ActionDispatcher(client);
    await assert.rejects(dispatcher.dispatch('has space', 'x', () => 1), /agentName "has space" must match/);
    const big = await dispatcher.dispatch('sdk-agent', 'big', () => 'x'.repeat(70_000));
    assert.equal(big.output?.length, 70_000, 'the caller still gets it');
    const stored = await landed(big.eventId);
    assert.equal(stored.output, undefined);
  });
});
