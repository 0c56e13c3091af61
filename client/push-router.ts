/**
 * Routes pushed events to subscriptions by the id the daemon gave each. A push can be read before
 * the `subscribe` reply that names its subscription: the daemon may send a new subscription's first
 * frame right after the reply, both arrive in one read, and the socket hands them over one after
 * the other before the code awaiting the reply runs. So while a `subscribe` call is on its way,
 * pushes for ids not known yet are held, and handed over when their id is attached.
 */
import type { PushedEvent } from '../protocol/types';

/** Pushes held per id whose reply is late; past them, the seq gap makes the subscriber resync. */
const MAX_HELD_PUSHES = 1000;

export class PushRouter<S> {
  private readonly byId = new Map<string, S>();
  private readonly held = new Map<string, PushedEvent[]>();
  private inFlight = 0;

  constructor(private readonly deliver: (subscription: S, event: PushedEvent) => void) {}

  /**
   * Runs a `subscribe` call that answers the new subscription's id, and attaches the subscription
   * to it; pushes for unknown ids are held meanwhile, and those for this id delivered on attach.
   */
  async subscribe(call: () => Promise<string>, subscription: S): Promise<string> {
    this.inFlight += 1;
    try {
      const id = await call();
      this.byId.set(id, subscription);
      const held = this.held.get(id) ?? [];
      this.held.delete(id);
      // Delivered outside this call, as any push is: a handler that throws does not fail the
      // subscribe (whose caller would then hold no handle to a live subscription). Still ahead of
      // any push read later, which comes with a later socket read.
      if (held.length > 0) queueMicrotask(() => held.forEach((event) => this.deliver(subscription, event)));
      return id;
    } finally {
      if (--this.inFlight === 0) this.held.clear();
    }
  }

  detach(id: string): void {
    this.byId.delete(id);
  }

  /** Forgets every id (a new connection: the daemon gives new ones, and may reuse old ones). */
  clear(): void {
    this.byId.clear();
    this.held.clear();
  }

  route(event: PushedEvent): void {
    const subscription = this.byId.get(event.subscriptionId);
    if (subscription !== undefined) return this.deliver(subscription, event);
    if (this.inFlight === 0) return;
    let held = this.held.get(event.subscriptionId);
    if (!held) this.held.set(event.subscriptionId, (held = []));
    if (held.length < MAX_HELD_PUSHES) held.push(event);
  }
}
