/** How locks, semaphores, permits and barriers read in the Coordination view: row texts and Markdown tooltips (plain TypeScript). */
import { ageText, clockTime } from '../../common/time-format';
import type { BarrierInfo, Lock, SemaphoreInfo } from '../../protocol/types';

type Holder = SemaphoreInfo['holders'][number];

/**
 * "25s left", in 5 s steps under a minute: the view redraws a row when its text changes, and a
 * lease renewed every few seconds would otherwise redraw (and close its tooltip) every second.
 * Times are on the Redis clock and read on the local one, as the CLI does: the same machine for a
 * local daemon. A lease past its end but not yet reported expired (the sweep tells within a
 * fraction of a second) reads "ending".
 */
export function timeLeft(expiresAt: number, now = Date.now()): string {
  const ms = expiresAt - now;
  if (ms <= 0) return 'ending';
  const stepped = ms < 60_000 ? Math.ceil(ms / 5_000) * 5_000 : ms;
  return `${ageText(stepped)} left`;
}

/** `agent-7 · 25s left · token 12`: who is in the way and for how long first (a narrow sidebar cuts the end), then the token. */
export function describeLock(lock: Lock, now = Date.now()): string {
  return `${lock.owner} · ${timeLeft(lock.expiresAt, now)} · token ${lock.fencingToken}`;
}

export function lockTooltip(lock: Lock): string {
  return [
    `**Lock** \`${lock.name}\``,
    `Held by \`${lock.owner}\` with fencing token **${lock.fencingToken}**`,
    `Lease ends at ${clockTime(lock.expiresAt)} unless renewed`,
    'A write to a resource this lock guards should carry the token; the resource refuses one older than it has seen.',
  ].join('\n\n');
}

/** `2/3 permits`: held of the latest acquire's limit. */
export function describeSemaphore(semaphore: SemaphoreInfo): string {
  return `${semaphore.holders.length}/${semaphore.limit} ${semaphore.limit === 1 ? 'permit' : 'permits'}`;
}

export function semaphoreTooltip(semaphore: SemaphoreInfo): string {
  const free = Math.max(0, semaphore.limit - semaphore.holders.length);
  return [
    `**Semaphore** \`${semaphore.name}\``,
    `${semaphore.holders.length} of ${semaphore.limit} permits held · ${free} free`,
    'The limit is the one its latest acquire gave. A permit whose holder stops renewing returns by itself at the end of its lease.',
  ].join('\n\n');
}

export function describeHolder(holder: Holder, now = Date.now()): string {
  return timeLeft(holder.expiresAt, now);
}

export function holderTooltip(semaphore: string, holder: Holder): string {
  return [`**Permit** of \`${semaphore}\` held by \`${holder.owner}\``, `Permit id \`${holder.permitId}\``, `Returns at ${clockTime(holder.expiresAt)} unless renewed`].join(
    '\n\n',
  );
}

/** `2/3 arrived`. */
export function describeBarrier(barrier: BarrierInfo): string {
  return `${barrier.arrived}/${barrier.parties} arrived`;
}

export function barrierTooltip(barrier: BarrierInfo): string {
  const missing = barrier.parties - barrier.arrived;
  return [
    `**Barrier** \`${barrier.name}\` — generation ${barrier.generation}`,
    `${barrier.arrived} of ${barrier.parties} parties waiting; released when ${missing} more ${missing === 1 ? 'arrives' : 'arrive'}`,
    'A party that times out withdraws its arrival.',
  ].join('\n\n');
}
