/** Messages of the approval webview. Each load of the page says `ready`; the host answers with `show`. */
import type { Approval } from '../../protocol/types';

export interface ApprovalProtocol {
  requests: {
    /** Answer the request (a question with its answer); resolves with the decided approval, or fails with the reason (e.g. already answered). */
    respond: [{ approved: boolean; reason: string; answer?: unknown }, Approval];
  };
  toHost: {
    ready: Record<string, never>;
  };
  toWebview: {
    /** The request to show, and the host's clock (for the countdown). */
    show: { approval: Approval; now: number };
    /** It was answered or expired, here or anywhere else: the view turns read-only. */
    decided: { approval: Approval };
  };
}
