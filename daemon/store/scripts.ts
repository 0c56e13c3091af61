/**
 * The Lua scripts, one per atomic state change, each with its typed wrapper (see script.ts).
 * Scripts may pull shared helpers in with `--- @include "includes/<helper>"`; each helper is
 * inlined once, before the first line that needs it.
 */
import type Redis from 'ioredis';
import { Script, type LuaFile } from './script';
import { OUTCOME_LAYOUT_LUA } from './outcome-buckets';
import { SCRIPT_ERRORS_LUA } from './script-errors';
import agentBeatsLua from './lua/agentBeats-4.lua';
import agentGetLua from './lua/agentGet-1.lua';
import agentStartLua from './lua/agentStart-5.lua';
import agentStopLua from './lua/agentStop-5.lua';
import agentsExpireLua from './lua/agentsExpire-4.lua';
import agentsStaleLua from './lua/agentsStale-2.lua';
import approvalCreateLua from './lua/approvalCreate-2.lua';
import approvalGetLua from './lua/approvalGet-1.lua';
import approvalRespondLua from './lua/approvalRespond-2.lua';
import approvalsExpireLua from './lua/approvalsExpire-1.lua';
import approvalsPendingLua from './lua/approvalsPending-1.lua';
import eventPublishLua from './lua/eventPublish-3.lua';
import eventTypesLua from './lua/eventTypes-1.lua';
import eventTypesExpireLua from './lua/eventTypesExpire-2.lua';
import outcomeAlertsSweepLua from './lua/outcomeAlertsSweep-1.lua';
import outcomeRecentLua from './lua/outcomeRecent-1.lua';
import outcomeRecordLua from './lua/outcomeRecord-3.lua';
import outcomeStatsLua from './lua/outcomeStats-1.lua';
import outcomeTimelineLua from './lua/outcomeTimeline-1.lua';
import queueAckLua from './lua/queueAck-8.lua';
import queueConfigureLua from './lua/queueConfigure-8.lua';
import queueDeadLua from './lua/queueDead-8.lua';
import queueEnqueueLua from './lua/queueEnqueue-8.lua';
import queueExtendLua from './lua/queueExtend-8.lua';
import queueMaintainLua from './lua/queueMaintain-8.lua';
import queueNackLua from './lua/queueNack-8.lua';
import queuePurgeLua from './lua/queuePurge-8.lua';
import queueReceiveLua from './lua/queueReceive-8.lua';
import queueReleaseLua from './lua/queueRelease-8.lua';
import queueReplayLua from './lua/queueReplay-8.lua';
import queueStatsLua from './lua/queueStats-8.lua';
import breakerGateLua from './lua/breakerGate-2.lua';
import breakerResetLua from './lua/breakerReset-2.lua';
import breakersListLua from './lua/breakersList-2.lua';
import breakersRecordLua from './lua/breakersRecord-2.lua';
import breakersSweepLua from './lua/breakersSweep-2.lua';
import budgetSetLua from './lua/budgetSet-1.lua';
import budgetsReadLua from './lua/budgetsRead-1.lua';
import budgetsRecordLua from './lua/budgetsRecord-1.lua';
import policyRateLua from './lua/policyRate-1.lua';
import policySetLua from './lua/policySet-2.lua';
import safetyAuditLua from './lua/safetyAudit-1.lua';
import safetyRulesSetLua from './lua/safetyRulesSet-2.lua';
import signalClearLua from './lua/signalClear-4.lua';
import signalPendingLua from './lua/signalPending-4.lua';
import signalSendLua from './lua/signalSend-3.lua';
import signalTakeLua from './lua/signalTake-4.lua';
import toolDeprecateLua from './lua/toolDeprecate-3.lua';
import toolListLua from './lua/toolList-3.lua';
import toolRegisterLua from './lua/toolRegister-3.lua';
import toolsTouchLua from './lua/toolsTouch-1.lua';
import feedbackReadLua from './lua/feedbackRead-1.lua';
import feedbackRecordLua from './lua/feedbackRecord-1.lua';
import workflowCancelLua from './lua/workflowCancel-1.lua';
import workflowGetLua from './lua/workflowGet-1.lua';
import workflowPauseLua from './lua/workflowPause-1.lua';
import workflowResumeLua from './lua/workflowResume-1.lua';
import workflowRetryStepLua from './lua/workflowRetryStep-1.lua';
import workflowStartLua from './lua/workflowStart-1.lua';
import agentJson from './lua/includes/agentJson.lua';
import breaker from './lua/includes/breaker.lua';
import budget from './lua/includes/budget.lua';
import approvalJson from './lua/includes/approvalJson.lua';
import auditAppend from './lua/includes/auditAppend.lua';
import decideApproval from './lua/includes/decideApproval.lua';
import endAgent from './lua/includes/endAgent.lua';
import nowMs from './lua/includes/nowMs.lua';
import outcomeWindow from './lua/includes/outcomeWindow.lua';
import publishEvent from './lua/includes/publishEvent.lua';
import queueJob from './lua/includes/queueJob.lua';
import queueMoves from './lua/includes/queueMoves.lua';
import signalMatch from './lua/includes/signalMatch.lua';
import zsetPage from './lua/includes/zsetPage.lua';
import lockAcquireLua from './lua/lockAcquire-2.lua';
import lockRenewLua from './lua/lockRenew-2.lua';
import lockReleaseLua from './lua/lockRelease-2.lua';
import lockExpireLua from './lua/lockExpire-2.lua';
import semaphoreAcquireLua from './lua/semaphoreAcquire-2.lua';
import semaphoreRenewLua from './lua/semaphoreRenew-2.lua';
import semaphoreReleaseLua from './lua/semaphoreRelease-2.lua';
import semaphoreExpireLua from './lua/semaphoreExpire-2.lua';
import barrierArriveLua from './lua/barrierArrive-1.lua';
import barrierLeaveLua from './lua/barrierLeave-1.lua';
import ratelimitTakeLua from './lua/ratelimitTake-1.lua';
import quotaTakeLua from './lua/quotaTake-1.lua';
import expiredKept from './lua/includes/expiredKept.lua';
import lockHolder from './lua/includes/lockHolder.lua';
import semaphorePermits from './lua/includes/semaphorePermits.lua';
import workflowSteps from './lua/includes/workflowSteps.lua';

const includes = new Map<string, string>([
  ...[
    agentJson, approvalJson, auditAppend, breaker, budget, decideApproval, endAgent, nowMs, outcomeWindow, publishEvent, queueJob, queueMoves,
    signalMatch, zsetPage, expiredKept, lockHolder, semaphorePermits, workflowSteps,
  ].map(
    (include) => [`includes/${include.file}`, include.source] as const,
  ),
  ['includes/scriptErrors', SCRIPT_ERRORS_LUA] as const,
  ['includes/outcomeLayout', OUTCOME_LAYOUT_LUA] as const,
]);

const INCLUDE = /^--- @include "([^"]+)"\s*$/gm;

/** Inlines every include (and theirs) once, in first-use order. */
export function resolveIncludes(source: string, done = new Set<string>()): string {
  return source.replace(INCLUDE, (_line, name: string) => {
    if (done.has(name)) return '';
    const body = includes.get(name);
    if (body === undefined) throw new Error(`unknown Lua include "${name}"`);
    done.add(name);
    return resolveIncludes(body, done);
  });
}

const script = <K extends string, A extends string>(file: LuaFile, keys: readonly K[], args: readonly A[]) =>
  new Script(file, keys, args, (source) => resolveIncludes(source));

const AGENT_INDEXES = ['agent', 'expiry', 'beats', 'ended', 'listed'] as const;
const SIGNAL_BOXES = ['inbox', 'broadcasts', 'seen', 'floors'] as const;
/** Every queue script takes the queue's keys in this order (includes/queueJob.lua names them). */
/** Every breaker script takes the seen and open sets, and (but reset) these arguments (includes/breaker.lua reads the settings). */
const BREAKER_KEYS = ['seen', 'open'] as const;
const BREAKER_ARGS = ['prefix', 'channel', 'now', 'consecutiveFailures', 'errorRatePercent', 'windowMs', 'minCalls', 'coolDownMs', 'halfOpenTrials'] as const;
/** The coordination scripts take a lock's / a semaphore's keys (store/keys.ts) in this order. */
const LOCK_KEYS = ['holder', 'fence'] as const;
const SEMAPHORE_KEYS = ['permits', 'owners'] as const;
export const QUEUE_KEYS = ['waitHigh', 'waitNormal', 'waitLow', 'delayed', 'active', 'dead', 'completed', 'meta'] as const;

export const scripts = {
  agentStart: script(agentStartLua, AGENT_INDEXES, ['agentId', 'ttlSeconds', 'metadata', 'channel']),
  /** Takes, after its named arguments, six values per beat (see the script): called through a TickBatch (agents/handlers.ts). */
  agentBeats: script(agentBeatsLua, ['expiry', 'beats', 'ended', 'listed'], ['agentPrefix', 'channel']),
  agentStop: script(agentStopLua, AGENT_INDEXES, ['agentId', 'finalStatus', 'retentionMs', 'channel']),
  agentGet: script(agentGetLua, ['agent'], []),
  agentsStale: script(agentsStaleLua, ['beats', 'listed'], ['thresholdMs', 'cursor', 'limit']),
  agentsExpire: script(agentsExpireLua, ['expiry', 'beats', 'ended', 'listed'], ['agentPrefix', 'batch', 'retentionMs', 'listWindowMs', 'channel']),
  approvalCreate: script(approvalCreateLua, ['request', 'pending'], [
    'requestId', 'agentId', 'type', 'context', 'risk', 'timeoutMs', 'channel', 'choices', 'answerSchema', 'default',
  ]),
  approvalGet: script(approvalGetLua, ['request'], []),
  approvalRespond: script(approvalRespondLua, ['request', 'pending'], ['requestId', 'approved', 'responder', 'reason', 'retentionMs', 'channel', 'answer']),
  approvalsPending: script(approvalsPendingLua, ['pending'], ['requestPrefix', 'cursor', 'limit']),
  approvalsExpire: script(approvalsExpireLua, ['pending'], ['requestPrefix', 'batch', 'retentionMs', 'channel']),
  eventPublish: script(eventPublishLua, ['stream', 'typeNames', 'typeExpiry'], ['type', 'data', 'maxLen', 'channel', 'retentionMs']),
  eventTypes: script(eventTypesLua, ['typeNames'], ['cursor', 'limit']),
  eventTypesExpire: script(eventTypesExpireLua, ['typeExpiry', 'typeNames'], ['streamPrefix', 'batch']),
  signalSend: script(signalSendLua, ['box', 'seq', 'signal'], ['signalId', 'type', 'source', 'target', 'payload', 'ttlMs', 'channel']),
  signalTake: script(signalTakeLua, SIGNAL_BOXES, ['agentId', 'type', 'source', 'consume', 'signalPrefix', 'channel']),
  signalPending: script(signalPendingLua, SIGNAL_BOXES, ['agentId', 'type', 'signalPrefix', 'cursor', 'limit']),
  /** Takes, after its named arguments, seven values per job: called through a TickBatch per queue (queues/handlers.ts). */
  queueEnqueue: script(queueEnqueueLua, QUEUE_KEYS, ['jobPrefix', 'queue', 'defaultMaxLength', 'channel']),
  queueReceive: script(queueReceiveLua, QUEUE_KEYS, ['jobPrefix', 'queue', 'consumer', 'visibilityMs', 'count', 'channel']),
  /** Takes, after its named arguments, three values per ack: called through a TickBatch per queue. */
  queueAck: script(queueAckLua, QUEUE_KEYS, ['jobPrefix', 'kept']),
  queueNack: script(queueNackLua, QUEUE_KEYS, ['jobPrefix', 'queue', 'jobId', 'receipt', 'error', 'retry', 'jitter', 'channel', 'maxDelayMs']),
  queueRelease: script(queueReleaseLua, QUEUE_KEYS, ['jobPrefix', 'queue', 'jobId', 'receipt', 'channel']),
  queueExtend: script(queueExtendLua, QUEUE_KEYS, ['jobPrefix', 'jobId', 'receipt', 'visibilityMs']),
  queueStats: script(queueStatsLua, QUEUE_KEYS, ['jobPrefix', 'defaultMaxLength']),
  queueConfigure: script(queueConfigureLua, QUEUE_KEYS, ['jobPrefix', 'maxLength']),
  queueDead: script(queueDeadLua, QUEUE_KEYS, ['jobPrefix', 'count']),
  queueReplay: script(queueReplayLua, QUEUE_KEYS, ['jobPrefix', 'queue', 'jobId', 'channel']),
  queuePurge: script(queuePurgeLua, QUEUE_KEYS, ['jobPrefix', 'queue', 'state', 'batch', 'removedBefore', 'channel']),
  queueMaintain: script(queueMaintainLua, QUEUE_KEYS, ['jobPrefix', 'queue', 'batch', 'channel']),
  /** Takes, after its named arguments, eleven values per outcome: called through a TickBatch (outcomes/handlers.ts). */
  outcomeRecord: script(outcomeRecordLua, ['stream', 'agents', 'alerting'], [
    'agentPrefix', 'windowPrefix', 'bucketPrefix', 'idPrefix', 'maxLen', 'channel', 'alertPercent', 'alertMinCount', 'dedupeMs',
  ]),
  outcomeRecent: script(outcomeRecentLua, ['stream'], ['cursor', 'wanted', 'scan', 'agentName', 'status', 'workflowId', 'tag']),
  /** Answers bucket bytes: run with runBuffer. */
  outcomeStats: script(outcomeStatsLua, ['agents'], ['agentPrefix', 'windowPrefix', 'bucketPrefix', 'buckets', 'agentName']),
  /** Answers bucket bytes: run with runBuffer. */
  outcomeTimeline: script(outcomeTimelineLua, ['agents'], ['bucketPrefix', 'buckets', 'agentName']),
  outcomeAlertsSweep: script(outcomeAlertsSweepLua, ['alerting'], [
    'agentPrefix', 'windowPrefix', 'bucketPrefix', 'alertPercent', 'alertMinCount', 'channel', 'batch',
  ]),
  signalClear: script(signalClearLua, SIGNAL_BOXES, ['agentId', 'type', 'signalPrefix', 'channel']),
  safetyAudit: script(safetyAuditLua, ['audit'], ['kind', 'entry', 'maxLen', 'channel', 'eventType', 'eventData', 'eventKey']),
  /** Takes, after its named arguments, two values per outcome and breaker: called through a TickBatch (safety/breakers.ts). */
  breakersRecord: script(breakersRecordLua, BREAKER_KEYS, BREAKER_ARGS),
  /** Takes the breaker names after its named arguments. */
  breakerGate: script(breakerGateLua, BREAKER_KEYS, BREAKER_ARGS),
  breakersList: script(breakersListLua, BREAKER_KEYS, BREAKER_ARGS),
  breakersSweep: script(breakersSweepLua, BREAKER_KEYS, [...BREAKER_ARGS, 'batch']),
  breakerReset: script(breakerResetLua, BREAKER_KEYS, ['prefix', 'name']),
  /** Takes, after its named arguments, three values per outcome and scope: called through a TickBatch (safety/budgets.ts). */
  budgetsRecord: script(budgetsRecordLua, ['scopes'], ['prefix', 'now', 'warn']),
  budgetSet: script(budgetSetLua, ['scopes'], ['prefix', 'now', 'warn', 'scope', 'tokens', 'costUnits', 'periodMs']),
  /** Takes the scopes to read after its named arguments (none: all). */
  budgetsRead: script(budgetsReadLua, ['scopes'], ['prefix', 'now', 'warn']),
  safetyRulesSet: script(safetyRulesSetLua, ['rules', 'audit'], ['expectedVersion', 'json', 'by', 'maxLen', 'channel', 'count']),
  toolRegister: script(toolRegisterLua, ['tools', 'version', 'audit'], ['ref', 'spec', 'entry', 'maxLen', 'channel']),
  toolDeprecate: script(toolDeprecateLua, ['tools', 'version', 'audit'], ['ref', 'entry', 'maxLen', 'channel']),
  toolList: script(toolListLua, ['tools', 'used', 'version'], []),
  /** Takes, after its (no) named arguments, pairs of tool ref and last-use time. */
  toolsTouch: script(toolsTouchLua, ['used'], []),
  policySet: script(policySetLua, ['policy', 'audit'], ['expectedVersion', 'json', 'by', 'maxLen', 'channel']),
  policyRate: script(policyRateLua, ['bucket'], ['callsPerMinute']),
  lockAcquire: script(lockAcquireLua, LOCK_KEYS, ['name', 'owner', 'ttlMs', 'channel']),
  lockRenew: script(lockRenewLua, LOCK_KEYS, ['name', 'owner', 'fencingToken', 'ttlMs', 'channel']),
  lockRelease: script(lockReleaseLua, LOCK_KEYS, ['name', 'owner', 'fencingToken', 'channel']),
  lockExpire: script(lockExpireLua, LOCK_KEYS, ['name', 'channel']),
  semaphoreAcquire: script(semaphoreAcquireLua, SEMAPHORE_KEYS, ['name', 'owner', 'limit', 'ttlMs', 'permitId', 'channel']),
  semaphoreRenew: script(semaphoreRenewLua, SEMAPHORE_KEYS, ['name', 'permitId', 'ttlMs', 'channel']),
  semaphoreRelease: script(semaphoreReleaseLua, SEMAPHORE_KEYS, ['name', 'permitId', 'channel']),
  semaphoreExpire: script(semaphoreExpireLua, SEMAPHORE_KEYS, ['name', 'channel']),
  barrierArrive: script(barrierArriveLua, ['barrier'], ['name', 'parties', 'keepMs', 'channel']),
  barrierLeave: script(barrierLeaveLua, ['barrier'], ['name', 'generation', 'channel']),
  ratelimitTake: script(ratelimitTakeLua, ['bucket'], ['rate', 'burst', 'cost']),
  quotaTake: script(quotaTakeLua, ['quota'], ['limit', 'periodMs', 'sliding', 'cost']),
  feedbackRecord: script(feedbackRecordLua, ['stage'], ['tier', 'quality', 'retentionDays', 'dayMs']),
  feedbackRead: script(feedbackReadLua, ['stage'], ['retentionDays', 'dayMs']),
  /** Takes, after its named arguments, the field/value pairs of the workflow's definition (workflows/definition.ts). */
  workflowStart: script(workflowStartLua, ['workflow'], ['workflowId', 'queuesChannel', 'workflowsChannel', 'retentionMs']),
  workflowGet: script(workflowGetLua, ['workflow'], ['summary']),
  workflowCancel: script(workflowCancelLua, ['workflow'], ['workflowId']),
  workflowPause: script(workflowPauseLua, ['workflow'], ['workflowId']),
  workflowResume: script(workflowResumeLua, ['workflow'], ['workflowId']),
  workflowRetryStep: script(workflowRetryStepLua, ['workflow'], ['workflowId', 'step']),
};

/** Registers every script on a connection; ioredis sends EVALSHA and falls back to EVAL after a Redis restart. */
export function defineScripts(redis: Redis): void {
  for (const each of Object.values(scripts)) each.register(redis);
}
