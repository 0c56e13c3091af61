/** Messages of the signal composer and inspector. The host waits for `ready` before it posts anything. */
import type { Signal } from '../../protocol/types';

export interface ComposerAgent {
  agentId: string;
  status: string;
}

export interface SendRequest {
  /** An agent id, or "*" to broadcast. */
  to: string;
  type: string;
  /** JSON text ("" = no payload); the webview validates it before sending, the daemon again. */
  payload: string;
  ttlSeconds: number;
}

export interface SignalComposerProtocol {
  requests: {
    send: [SendRequest, Signal];
    /** Pending signals of one agent (the inspector). */
    pending: [{ agentId: string }, Signal[]];
  };
  toHost: {
    ready: Record<string, never>;
  };
  toWebview: {
    /** Live agents to pick from (sent again when the fleet changes), the common types, and a preselected target. */
    init: { agents: ComposerAgent[]; types: string[]; target?: string };
    agents: { agents: ComposerAgent[] };
  };
}
