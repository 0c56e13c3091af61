/**
 * The audit trail: every safety decision and change, appended to one capped stream (never the
 * content itself: rule ids, spans, reasons, versions, who), and announced on the `safety` topic
 * in the same Redis step when it has an event.
 */
import type { AuditEntry, TopicEvents } from '../../protocol/types';
import type { Deps } from '../domain/deps';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';

export type AuditRecord = Omit<AuditEntry, 'id' | 'ts'>;
type SafetyEvents = TopicEvents['safety'];

/** An event for the safety topic; its `ts` is the audit entry's. */
export interface SafetyEvent<T extends keyof SafetyEvents = keyof SafetyEvents> {
  type: T;
  data: Omit<SafetyEvents[T], 'ts'>;
  /** Routing key of the frame (an agent id, a breaker or budget name…). */
  key: string;
}

export class AuditTrail {
  constructor(private readonly deps: Deps) {}

  /** Appends the entry (and publishes the event): one script call. Resolves to the entry id. */
  record(entry: AuditRecord, event?: SafetyEvent): Promise<string> {
    const { redis, keys, limits } = this.deps;
    return scripts.safetyAudit.run(
      redis,
      { audit: keys.safetyAudit },
      {
        kind: entry.kind,
        entry: JSON.stringify(entry),
        maxLen: limits.auditMaxEntries,
        channel: keys.channels.safety,
        eventType: event?.type ?? '',
        eventData: event ? JSON.stringify(event.data) : '',
        eventKey: event?.key ?? '',
      },
    ) as Promise<string>;
  }

  /** The newest `count` entries (of one kind, if given), newest last. */
  async read(count: number, kind?: string): Promise<AuditEntry[]> {
    const { redis, keys } = this.deps;
    const entries: AuditEntry[] = [];
    let end = '+';
    // Filtering by kind reads back in pages until enough match or the stream ends.
    while (entries.length < count) {
      const page = await redisCall(redis, () => redis.xrevrange(keys.safetyAudit, end, '-', 'COUNT', Math.max(count, 100)));
      for (const [id, fields] of page) {
        const entry = JSON.parse(fields[3] ?? '{}') as AuditRecord;
        if (kind === undefined || entry.kind === kind) entries.push({ id, ts: Number(id.split('-')[0]), ...entry });
        if (entries.length === count) break;
      }
      if (page.length === 0 || kind === undefined) break;
      end = `(${page[page.length - 1]![0]}`;
    }
    return entries.reverse();
  }
}
