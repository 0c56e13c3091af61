/** Messages of the signal composer and inspector. Each load of the page says `ready`; the host answers with `init`. */
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
    /**
     * Live agents to pick from, the common types, and a recipient a command asked for (else the
     * page keeps the one the user picked). Sent on every load of the page, and when a command
     * opens the composer for an agent.
     */
    init: { agents: ComposerAgent[]; types: string[]; target?: string };
    /** The live agents again, only when one comes or goes or changes status (not on beats). */
    agents: { agents: ComposerAgent[] };
  };
}
