import type Redis from 'ioredis';
import type { DaemonLimits } from '../../protocol/limits';
import type { EventHub } from '../hub/hub';
import type { Keys } from '../store/keys';

/** What the RPC handlers share. */
export interface Deps {
  redis: Redis;
  keys: Keys;
  hub: EventHub;
  daemonId: string;
  version: string;
  limits: DaemonLimits;
}

/** How long records stay readable after they end (agent.get / approval.get). */
export const RETENTION = {
  endedAgentMs: 60 * 60 * 1000,
  decidedApprovalMs: 7 * 24 * 60 * 60 * 1000,
} as const;
