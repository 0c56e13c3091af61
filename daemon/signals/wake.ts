/** Which signal.wait calls a signal.sent frame wakes. */
import type { Frame } from '../hub/frame';
import type { Waiters } from '../hub/waiters';

/** The waiters group of signal.wait calls with no type filter ('*' is never a type). */
export const ANY_SIGNAL_TYPE = '*';

/**
 * A signal.sent frame is keyed "<target> <type>" (target "*" for a broadcast): it wakes the
 * waiters of that type or of any type — of its target, or of every agent for a broadcast — and no
 * others, so a broadcast nobody waits for costs no take.
 */
export function wakeSignalWaiters(waiters: Waiters, frame: Frame): void {
  if (frame.type !== 'signal.sent') return;
  const space = frame.key.indexOf(' ');
  const target = frame.key.slice(0, space);
  for (const group of [frame.key.slice(space + 1), ANY_SIGNAL_TYPE]) {
    if (target === '*') waiters.notifyGroup(group);
    else waiters.notify(target, group);
  }
}
