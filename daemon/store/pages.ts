/**
 * Listings that can grow (agent.stale, approval.pending, signal.pending, event.types) are read one
 * bounded page per script call. A caller that gives `limit` gets that page as `{items, nextCursor}`;
 * one that does not gets the whole list as an array, gathered here page by page so that no single
 * script call holds Redis for long (the pages are not one snapshot: an item that changes between
 * two calls may be missed or seen twice).
 */
import { ErrorCode, RpcError } from '../../protocol/errors';
import { RawJson } from './raw-json';

/** What a paginated script answers: `{ nextCursor or "", JSON array text of the items }`. */
export interface ScriptPage {
  next: string;
  json: string;
}

/** Items read per script call when gathering a whole list. */
export const GATHER_PAGE = 500;

export function toScriptPage(reply: unknown): ScriptPage {
  const [next, json] = reply as [string, string];
  return { next: String(next), json: String(json) };
}

export async function answerListing(
  params: { limit?: number; cursor?: string },
  fetchPage: (cursor: string, limit: number) => Promise<ScriptPage>,
  maxReplyBytes: number,
): Promise<RawJson> {
  if (params.limit !== undefined) {
    const page = await fetchPage(params.cursor ?? '', params.limit);
    return new RawJson(`{"items":${page.json},"nextCursor":${page.next === '' ? 'null' : JSON.stringify(page.next)}}`);
  }
  const parts: string[] = [];
  let bytes = 2;
  let cursor = '';
  do {
    const page = await fetchPage(cursor, GATHER_PAGE);
    if (page.json.length > 2) {
      parts.push(page.json.slice(1, -1));
      bytes += Buffer.byteLength(page.json) - 1;
      if (bytes > maxReplyBytes) {
        throw new RpcError(ErrorCode.TooLarge, `the list is over ${maxReplyBytes} bytes (maxReplyBytes): page through it with limit and cursor`, {
          field: 'limit',
          rule: 'maxReplyBytes',
          limit: maxReplyBytes,
        });
      }
    }
    cursor = page.next;
  } while (cursor !== '');
  return new RawJson(`[${parts.join(',')}]`);
}
