/**
 * The tool registry and policy part of the safety module: its handlers, what it does with the
 * safety channel's frames, its sweep, and its start step. The gates and the live rule set come
 * from module.ts, which owns the other parts.
 */
import type { Handlers } from '../../domain/context';
import type { Deps } from '../../domain/deps';
import type { Frame } from '../../hub/frame';
import type { ToolSpec } from '../../../protocol/types';
import type { AuditTrail } from '../audit';
import type { PolicyGate } from '../policy-gate';
import type { CompiledRuleSet } from '../validator/validator';
import { policyChecker } from './policy-check';
import { PolicyStore } from './policy-store';
import { ToolRegistry } from './tool-registry';

/** How often each daemon compares its copies' versions with Redis (a missed frame heals within this). */
export const POLICY_REFRESH_MS = 1_000;

export interface PolicyPartOptions {
  audit: AuditTrail;
  gates: readonly PolicyGate[];
  liveRules: () => CompiledRuleSet;
  now?: () => number;
}

type PolicyHandlers = Pick<Handlers, 'policy.get' | 'policy.set' | 'policy.check' | 'tool.register' | 'tool.list' | 'tool.deprecate'>;

export function policyPart(deps: Deps, options: PolicyPartOptions) {
  const registry = new ToolRegistry(deps);
  const policy = new PolicyStore(deps);
  const check = policyChecker({ deps, policy: () => policy.live, registry, liveRules: options.liveRules, gates: options.gates, audit: options.audit });
  const now = options.now ?? Date.now;
  let refreshedAt = 0;

  const handlers: PolicyHandlers = {
    'policy.get': () => policy.get(),
    'policy.set': (p) => policy.set(p),
    'policy.check': (p) => check(p),
    'tool.register': (p) => registry.register(p),
    'tool.list': () => registry.list(),
    'tool.deprecate': (p) => registry.deprecate(p),
  };

  return {
    handlers,
    /** This daemon's compiled copy of the live policy. */
    live: () => policy.live,
    onFrame(frame: Frame): void {
      if (frame.type === 'policy.changed') void policy.reload().catch(() => undefined); // the next refresh tries again
      else if (frame.type === 'tool.registered' || frame.type === 'tool.deprecated') {
        const { ts: _ts, ...spec } = JSON.parse(frame.json) as ToolSpec & { ts: number };
        registry.apply(spec);
      }
    },
    /** The pub/sub connection came back: frames may have been missed. */
    onResubscribed(): void {
      refreshedAt = 0;
    },
    /** Writes the tools' last-use marks; once a second, reloads what changed without a frame. */
    async sweep(): Promise<number> {
      const flushed = await registry.flushUsed();
      if (now() - refreshedAt >= POLICY_REFRESH_MS) {
        refreshedAt = now();
        await Promise.all([policy.refresh(), registry.refresh()]);
      }
      return flushed;
    },
    async start(): Promise<void> {
      await Promise.all([policy.reload(), registry.load()]);
    },
  };
}
