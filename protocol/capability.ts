/**
 * Capability queues: a workflow step that names a capability instead of a queue is a job on the
 * queue of that capability, which only agents advertising it may receive from (docs/workflows.md
 * "Steps that name a capability"). The names are built here, for the daemon and the SDK's workers.
 */

/** What a workflow step asks for: a capability name and, optionally, exactly one version. */
export interface CapabilityRef {
  name: string;
  version?: string;
}

export const CAPABILITY_QUEUE_PREFIX = 'cap:';
/**
 * A step's capability name: an id without `@`, which separates the version in its queue's name.
 * Its version: a capability version without `+` (advertised versions may have one), since a queue
 * name is an id.
 */
export const STEP_CAPABILITY_NAME_PATTERN = '^[A-Za-z0-9._:/-]{1,128}$';
export const STEP_CAPABILITY_VERSION_PATTERN = '^[A-Za-z0-9._-]{1,64}$';

/** `cap:<name>` (any version) or `cap:<name>@<version>`. */
export function capabilityQueue(ref: CapabilityRef): string {
  return `${CAPABILITY_QUEUE_PREFIX}${ref.name}${ref.version === undefined ? '' : `@${ref.version}`}`;
}

/** The capability a queue carries, or null for a plain queue. */
export function capabilityOfQueue(queue: string): CapabilityRef | null {
  if (!queue.startsWith(CAPABILITY_QUEUE_PREFIX)) return null;
  const rest = queue.slice(CAPABILITY_QUEUE_PREFIX.length);
  const at = rest.indexOf('@');
  return at < 0 ? { name: rest } : { name: rest.slice(0, at), version: rest.slice(at + 1) };
}

/**
 * The queues an agent advertising these capabilities serves: for each, the steps asking for its
 * exact version and those asking for any version. Versions with a `+` get only the latter.
 */
export function capabilityQueues(capabilities: readonly { name: string; version: string }[]): string[] {
  const version = new RegExp(STEP_CAPABILITY_VERSION_PATTERN);
  const name = new RegExp(STEP_CAPABILITY_NAME_PATTERN);
  const queues = capabilities
    .filter((c) => name.test(c.name))
    .flatMap((c) => [...(version.test(c.version) ? [capabilityQueue(c)] : []), capabilityQueue({ name: c.name })]);
  return [...new Set(queues)];
}

/** `summarize@2`, or `summarize` for any version (CLI, messages). */
export function capabilityText(ref: CapabilityRef): string {
  return ref.version === undefined ? ref.name : `${ref.name}@${ref.version}`;
}
