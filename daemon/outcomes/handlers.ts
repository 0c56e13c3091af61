/** outcome.* — what each agent action did: a capped stream, rolling per-agent stats, failure-rate alerts. */
import { randomUUID } from 'node:crypto';
import { DEFAULTS } from '../../protocol/limits';
import { MAX_OUTCOME_WINDOW_SECONDS, OUTCOME_BUCKET_SECONDS, OUTCOME_DEDUPE_MS, OUTCOME_STREAM_MAXLEN, OUTCOME_WINDOW_SECONDS } from '../../protocol/outcome';
import type { ParamsOf } from '../../protocol/methods';
import type { CallContext, Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import type { PushTarget } from '../hub/hub';
import { binOf, COST_UNITS_PER_USD } from '../store/outcome-buckets';
import { RawJson, rawOrNull } from '../store/raw-json';
import { scripts } from '../store/scripts';
import { TickBatch } from '../store/tick-batch';
import { readStats } from './stats';
import { readTimeline } from './timeline';

type OutcomeHandlers = Pick<Handlers, 'outcome.record' | 'outcome.recent' | 'outcome.stats' | 'outcome.timeline'>;

/** Outcomes per script call at most. */
const PER_BATCH = 128;
/** Stream entries one outcome.recent script call scans at most (the stream holds ~10 000). */
const RECENT_SCAN = 1000;

/** `snapshotRead`: an outcome.stats answer of the pushed shape (default window, every agent) was read by this connection: the sampled stats are pushed to it in full next. */
export function outcomeHandlers(deps: Deps, snapshotRead: (target: PushTarget | undefined) => void): OutcomeHandlers {
  const { redis, keys, limits } = deps;
  const records = new TickBatch<(string | number)[]>(
    (items) =>
      scripts.outcomeRecord.run(
        redis,
        { stream: keys.outcomeStream, agents: keys.outcomeAgents, alerting: keys.outcomeAlerting },
        {
          agentPrefix: keys.outcomeAgentPrefix,
          windowPrefix: keys.outcomeWindowPrefix,
          bucketPrefix: keys.outcomeBucketPrefix,
          idPrefix: keys.outcomeIdPrefix,
          maxLen: OUTCOME_STREAM_MAXLEN,
          channel: keys.channels.outcomes,
          alertPercent: limits.outcomeAlertPercent,
          alertMinCount: limits.outcomeAlertMinCount,
          dedupeMs: OUTCOME_DEDUPE_MS,
        },
        items.flat(),
      ),
    PER_BATCH,
  );

  return {
    'outcome.record': async (p, ctx) => {
      const reply = await records.add(recordArgs(p, ctx));
      if (!Array.isArray(reply)) return rawOrNull(reply);
      // A repeated eventId: its first record answers, and nothing downstream counts it again.
      ctx.repeated = true;
      return rawOrNull(reply[0]);
    },

    // Reads send the records gathered so far first, so that a connection's record then read sees it.
    'outcome.recent': async (p) => {
      records.flush();
      const wanted = p.count ?? DEFAULTS.outcomeRecentCount;
      const found: string[] = [];
      let cursor = '';
      do {
        const [next, ...json] = (await scripts.outcomeRecent.run(
          redis,
          { stream: keys.outcomeStream },
          { cursor, wanted: wanted - found.length, scan: RECENT_SCAN, agentName: p.agentName ?? '', status: p.status ?? '', workflowId: p.workflowId ?? '', tag: p.tag ?? '' },
        )) as string[];
        found.push(...json);
        cursor = next!;
      } while (cursor !== '' && found.length < wanted);
      return new RawJson(`[${found.reverse().join(',')}]`);
    },

    'outcome.stats': async (p, ctx) => {
      records.flush();
      const stats = await readStats(deps, p.windowSeconds ?? OUTCOME_WINDOW_SECONDS, p.agentName);
      if (p.agentName === undefined && (p.windowSeconds ?? OUTCOME_WINDOW_SECONDS) === OUTCOME_WINDOW_SECONDS) snapshotRead(ctx.target);
      return stats;
    },

    'outcome.timeline': async (p) => {
      records.flush();
      return readTimeline(deps, p.windowSeconds ?? MAX_OUTCOME_WINDOW_SECONDS, p.stepSeconds ?? OUTCOME_BUCKET_SECONDS, p.agentName);
    },
  };
}

/** The eleven script values of one outcome (see outcomeRecord-3.lua). */
function recordArgs(p: ParamsOf<'outcome.record'>, ctx: CallContext): (string | number)[] {
  const { eventId, output: _output, metadata: _metadata, ...fields } = p;
  // Payload fields are spliced as the client sent them (serialized once, size-checked), never re-encoded.
  let body = JSON.stringify(fields).slice(1, -1);
  if (ctx.json.output !== undefined) body += `,"output":${ctx.json.output}`;
  if (ctx.json.metadata !== undefined) body += `,"metadata":${ctx.json.metadata}`;
  return [
    eventId ?? randomUUID(),
    eventId === undefined ? '0' : '1',
    p.agentName,
    p.status,
    p.tokensUsed ?? 0,
    Math.round((p.costUsd ?? 0) * COST_UNITS_PER_USD),
    Math.round(p.durationMs * 1000),
    binOf(p.durationMs),
    p.workflowId ?? '',
    p.tags?.length ? `\n${p.tags.join('\n')}\n` : '',
    body,
  ];
}
