import type Redis from 'ioredis';
import type { DaemonLimits } from '../../protocol/limits';
import type { SafetyRule } from '../../protocol/types';
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
  safety: SafetySettings;
}

/** The daemon's safety options (docs/safety.md "Enforcement"). */
export interface SafetySettings {
  /** Whether payload entry points pass the validator (default on). */
  enforcement: boolean;
  /** A rule set made live at start when it differs from the live one (--safety-rules FILE), and who sets it. */
  startRules?: { rules: SafetyRule[]; by: string };
}

/** How long records stay readable after they end (agent.get / approval.get). */
export const RETENTION = {
  endedAgentMs: 60 * 60 * 1000,
  decidedApprovalMs: 7 * 24 * 60 * 60 * 1000,
} as const;
