/**
 * The Lua scripts, one per atomic state change. A file is named `<name>-<number of keys>.lua`
 * (BullMQ's convention) and may pull shared helpers in with `--- @include "includes/<helper>"`;
 * each helper is inlined once, before the first line that needs it.
 */
import type Redis from 'ioredis';
import agentBeat from './lua/agentBeat-5.lua';
import agentGet from './lua/agentGet-1.lua';
import agentStart from './lua/agentStart-5.lua';
import agentStop from './lua/agentStop-5.lua';
import agentsExpire from './lua/agentsExpire-4.lua';
import agentsStale from './lua/agentsStale-2.lua';
import approvalCreate from './lua/approvalCreate-2.lua';
import approvalGet from './lua/approvalGet-1.lua';
import approvalRespond from './lua/approvalRespond-2.lua';
import approvalsExpire from './lua/approvalsExpire-1.lua';
import approvalsPending from './lua/approvalsPending-1.lua';
import eventPublish from './lua/eventPublish-3.lua';
import eventTypes from './lua/eventTypes-1.lua';
import eventTypesExpire from './lua/eventTypesExpire-2.lua';
import signalClear from './lua/signalClear-4.lua';
import signalPending from './lua/signalPending-4.lua';
import signalSend from './lua/signalSend-3.lua';
import signalTake from './lua/signalTake-4.lua';
import agentJson from './lua/includes/agentJson.lua';
import approvalJson from './lua/includes/approvalJson.lua';
import decideApproval from './lua/includes/decideApproval.lua';
import endAgent from './lua/includes/endAgent.lua';
import nowMs from './lua/includes/nowMs.lua';
import publishEvent from './lua/includes/publishEvent.lua';
import signalMatch from './lua/includes/signalMatch.lua';
import zsetPage from './lua/includes/zsetPage.lua';

const includes: Record<string, string> = {
  'includes/agentJson': agentJson,
  'includes/approvalJson': approvalJson,
  'includes/decideApproval': decideApproval,
  'includes/endAgent': endAgent,
  'includes/nowMs': nowMs,
  'includes/publishEvent': publishEvent,
  'includes/signalMatch': signalMatch,
  'includes/zsetPage': zsetPage,
};

/** name → [source, number of keys] */
const sources = {
  agentBeat: [agentBeat, 5],
  agentGet: [agentGet, 1],
  agentStart: [agentStart, 5],
  agentStop: [agentStop, 5],
  agentsExpire: [agentsExpire, 4],
  agentsStale: [agentsStale, 2],
  approvalCreate: [approvalCreate, 2],
  approvalGet: [approvalGet, 1],
  approvalRespond: [approvalRespond, 2],
  approvalsExpire: [approvalsExpire, 1],
  approvalsPending: [approvalsPending, 1],
  eventPublish: [eventPublish, 3],
  eventTypes: [eventTypes, 1],
  eventTypesExpire: [eventTypesExpire, 2],
  signalClear: [signalClear, 4],
  signalPending: [signalPending, 4],
  signalSend: [signalSend, 3],
  signalTake: [signalTake, 4],
} as const satisfies Record<string, readonly [string, number]>;

export type ScriptName = keyof typeof sources;

const INCLUDE = /^--- @include "([^"]+)"\s*$/gm;

/** Inlines every include (and theirs) once, in first-use order. */
export function resolveIncludes(source: string, done = new Set<string>()): string {
  return source.replace(INCLUDE, (_line, name: string) => {
    if (done.has(name)) return '';
    const body = includes[name];
    if (body === undefined) throw new Error(`unknown Lua include "${name}"`);
    done.add(name);
    return resolveIncludes(body, done);
  });
}

export const scripts: Record<ScriptName, { lua: string; numberOfKeys: number }> = Object.fromEntries(
  Object.entries(sources).map(([name, [source, numberOfKeys]]) => [name, { lua: resolveIncludes(source), numberOfKeys }]),
) as Record<ScriptName, { lua: string; numberOfKeys: number }>;

/** Registers every script on a connection; ioredis sends EVALSHA and falls back to EVAL after a Redis restart. */
export function defineScripts(redis: Redis): void {
  for (const [name, definition] of Object.entries(scripts)) redis.defineCommand(name, definition);
}
