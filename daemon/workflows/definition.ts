/**
 * A workflow.start's steps checked (unique names, known dependencies, no cycle, job ids within the
 * id limit, inputs within maxValueBytes, a queue or a capability) and laid out as the fields of its workflow hash
 * (daemon/store/lua/includes/workflowSteps.lua describes them).
 */
import { ErrorCode, RpcError } from '../../protocol/errors';
import { capabilityQueue, capabilityText } from '../../protocol/capability';
import { ID_REGEXP, MAX_WORKFLOW_STEPS } from '../../protocol/limits';
import type { ParamsOf } from '../../protocol/schemas';
import type { Keys } from '../store/keys';
import { QUEUE_KEYS } from '../store/scripts';

type Start = ParamsOf<'workflow.start'>;
type StepParams = Start['steps'][number];

/** Deliveries of a step's job unless it says otherwise: the first and 3 retries. */
export const STEP_MAX_ATTEMPTS = 4;
/** Longest job id the protocol takes (ID_PATTERN), which `<workflowId>:<step>:<run>` must fit. */
const MAX_JOB_ID = 128;
/** Room kept for `:<run>` of a retried step. */
const RUN_SUFFIX = 4;

const invalid = (field: string, rule: string, message: string) =>
  new RpcError(ErrorCode.InvalidParams, `invalid params: ${message}`, { field, rule });

/** Step indexes (0-based) in an order where every step comes after its dependencies. */
export function dependencyOrder(steps: readonly StepParams[]): number[] {
  const index = new Map<string, number>();
  steps.forEach((step, i) => {
    if (index.has(step.name)) throw invalid(`steps[${i}].name`, 'unique', `step "${step.name}" is named twice`);
    index.set(step.name, i);
  });
  const deps = steps.map((step, i) => {
    const names = step.dependsOn ?? [];
    if (new Set(names).size !== names.length) throw invalid(`steps[${i}].dependsOn`, 'unique', `step "${step.name}" names a dependency twice`);
    return names.map((name) => {
      const d = index.get(name);
      if (d === undefined) throw invalid(`steps[${i}].dependsOn`, 'knownStep', `step "${step.name}" depends on "${name}", which is not a step`);
      return d;
    });
  });
  const waiting = deps.map((d) => d.length);
  const next = dependents(deps);
  const order = steps.flatMap((_, i) => (waiting[i] === 0 ? [i] : []));
  for (let k = 0; k < order.length; k++) {
    for (const d of next[order[k]!]!) if (--waiting[d]! === 0) order.push(d);
  }
  if (order.length < steps.length) {
    const i = onCycle(deps, waiting);
    throw invalid(`steps[${i}].dependsOn`, 'acyclic', `step "${steps[i]!.name}" depends on itself through dependsOn (a cycle)`);
  }
  return order;
}

function dependents(deps: readonly number[][]): number[][] {
  const next = deps.map((): number[] => []);
  deps.forEach((d, i) => d.forEach((dep) => next[dep]!.push(i)));
  return next;
}

/** A step on a cycle: from any step left unordered, dependencies left unordered lead round one. */
function onCycle(deps: readonly number[][], waiting: readonly number[]): number {
  let i = waiting.findIndex((w) => w > 0);
  const seen = new Set<number>();
  while (!seen.has(i)) {
    seen.add(i);
    i = deps[i]!.find((d) => waiting[d]! > 0)!;
  }
  return i;
}

/** The workflow hash's definition fields, as field/value pairs for workflowStart. */
export function definitionFields(p: Start, workflowId: string, keys: Keys, maxValueBytes: number): (string | number)[] {
  if (p.steps.length > MAX_WORKFLOW_STEPS) throw invalid('steps', 'maxItems', `at most ${MAX_WORKFLOW_STEPS} steps`);
  const order = dependencyOrder(p.steps);
  const index = new Map(p.steps.map((step, i) => [step.name, i + 1]));
  const fields: (string | number)[] = ['name', p.name, 'stopOnFailure', p.stopOnFailure === false ? '0' : '1', 'n', p.steps.length];
  fields.push('topo', JSON.stringify(order.map((i) => i + 1)));
  const deps = p.steps.map((step) => (step.dependsOn ?? []).map((name) => index.get(name)!));
  const next = dependents(deps.map((d) => d.map((i) => i - 1))).map((d) => d.map((i) => i + 1));
  const queues = new Set<string>();
  const capabilities = new Set<string>();
  p.steps.forEach((step, k) => {
    const i = k + 1;
    if (workflowId.length + 1 + step.name.length + RUN_SUFFIX > MAX_JOB_ID) {
      throw invalid(`steps[${k}].name`, 'jobIdLength', `workflowId:step must stay under ${MAX_JOB_ID - RUN_SUFFIX} characters (it is the job id)`);
    }
    const queue = stepQueue(step, k);
    fields.push(`n:${step.name}`, i, `${i}:name`, step.name, `${i}:queue`, queue, `${i}:deps`, JSON.stringify(deps[k]), `${i}:next`, JSON.stringify(next[k]));
    if (step.capability) {
      fields.push(`${i}:cap`, JSON.stringify(step.capability));
      capabilities.add(capabilityText(step.capability));
    }
    fields.push(`${i}:state`, 'pending', `${i}:attempts`, 0, `${i}:maxAttempts`, step.maxAttempts ?? STEP_MAX_ATTEMPTS);
    if (step.input !== undefined) fields.push(`${i}:input`, inputJson(step, k, maxValueBytes));
    if (step.optional) fields.push(`${i}:optional`, '1');
    if (step.timeoutMs !== undefined) fields.push(`${i}:timeoutMs`, step.timeoutMs);
    queues.add(queue);
  });
  if (capabilities.size > 0) fields.push('caps', JSON.stringify([...capabilities]));
  for (const queue of queues) {
    const queueKeys = keys.queue(queue);
    fields.push(`q:${queue}`, JSON.stringify([...QUEUE_KEYS.map((name) => queueKeys[name]), queueKeys.jobPrefix]));
  }
  return fields;
}

/** The queue a step's job goes to: the one it names, or its capability's; exactly one of the two. */
export function stepQueue(step: StepParams, k: number): string {
  if ((step.queue === undefined) === (step.capability === undefined)) {
    throw invalid(`steps[${k}]`, 'queueOrCapability', `step "${step.name}" must name either a queue or a capability (not both, not neither)`);
  }
  if (step.queue !== undefined) return step.queue;
  const queue = capabilityQueue(step.capability!);
  if (!ID_REGEXP.test(queue)) {
    throw invalid(`steps[${k}].capability`, 'queueNameLength', `step "${step.name}": its capability queue "${queue.slice(0, 40)}…" is over ${MAX_JOB_ID} characters`);
  }
  return queue;
}

function inputJson(step: StepParams, k: number, maxBytes: number): string {
  const json = JSON.stringify(step.input);
  const bytes = Buffer.byteLength(json);
  if (bytes > maxBytes) {
    throw new RpcError(ErrorCode.TooLarge, `steps[${k}].input is ${bytes} bytes serialized; the limit is ${maxBytes}`, {
      field: `steps[${k}].input`,
      rule: 'maxValueBytes',
      limit: maxBytes,
      size: bytes,
    });
  }
  return json;
}
