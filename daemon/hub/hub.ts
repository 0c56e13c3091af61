/**
 * Fans the domain modules' channels out to local subscriptions and lets each module wake its
 * blocked calls. Every daemon on the same Redis runs one hub on its own subscriber connection, so
 * a change made through any daemon reaches the clients and blocked calls of all of them.
 */
import type Redis from 'ioredis';
import { parseFrame, type Frame } from './frame';

/** Where a subscription's pushes go (a WebSocket connection). */
export interface PushTarget {
  /** Sends a frame; returns false when the frame was dropped because the peer is not keeping up. */
  push(frame: string): boolean;
}

/** A pub/sub channel a domain's scripts publish on, as a module declares it (daemon/domain/module.ts). */
export interface Channel {
  /** The channel name (from keys.channels). */
  name: string;
  /** The subscription topics a frame is pushed to. */
  topics(frame: Frame): readonly string[];
  /** Wakes the blocked calls this frame may concern. */
  wake?(frame: Frame): void;
  /** Wakes every blocked call (the hub's connection dropped: frames may have been missed). */
  wakeAll?(): void;
}

interface Subscription {
  id: string;
  topics: string[];
  seq: number;
  target: PushTarget;
}

export class EventHub {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly byTarget = new Map<PushTarget, Set<Subscription>>();
  private readonly byTopic = new Map<string, Set<Subscription>>();
  private readonly channels = new Map<string, Channel>();
  private nextId = 1;
  private connectedOnce = false;

  constructor(private readonly subscriber: Redis) {}

  /** Adds a module's channel; all are added before start(). */
  listen(channel: Channel): void {
    this.channels.set(channel.name, channel);
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    // After a reconnect, whatever was published meanwhile is lost to us: tell every subscription
    // (a seq gap makes clients resync) and let every blocked call look again.
    this.subscriber.on('ready', () => {
      if (this.connectedOnce) this.onResubscribed();
      this.connectedOnce = true;
    });
    await this.subscriber.connect();
    await this.subscriber.subscribe(...this.channels.keys());
  }

  subscribe(target: PushTarget, topics: string[]): string {
    const subscription: Subscription = { id: `sub-${this.nextId++}`, topics: [...new Set(topics)], seq: 0, target };
    this.subscriptions.set(subscription.id, subscription);
    let own = this.byTarget.get(target);
    if (!own) this.byTarget.set(target, (own = new Set()));
    own.add(subscription);
    for (const topic of subscription.topics) {
      let set = this.byTopic.get(topic);
      if (!set) this.byTopic.set(topic, (set = new Set()));
      set.add(subscription);
    }
    return subscription.id;
  }

  /** Removes a subscription; only its owner may. */
  unsubscribe(target: PushTarget, subscriptionId: string): boolean {
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription || subscription.target !== target) return false;
    this.subscriptions.delete(subscriptionId);
    const own = this.byTarget.get(target);
    own?.delete(subscription);
    if (own?.size === 0) this.byTarget.delete(target);
    for (const topic of subscription.topics) {
      const set = this.byTopic.get(topic);
      set?.delete(subscription);
      if (set?.size === 0) this.byTopic.delete(topic);
    }
    return true;
  }

  dropTarget(target: PushTarget): void {
    for (const subscription of [...(this.byTarget.get(target) ?? [])]) this.unsubscribe(target, subscription.id);
  }

  /** How many subscriptions one connection holds. */
  subscriptionsOf(target: PushTarget): number {
    return this.byTarget.get(target)?.size ?? 0;
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  private onMessage(name: string, message: string): void {
    const channel = this.channels.get(name);
    const frame = parseFrame(message);
    if (channel === undefined || frame === undefined) return;
    channel.wake?.(frame);
    for (const topic of channel.topics(frame)) this.deliver(topic, frame);
  }

  /** Whether any local subscription listens to a topic (a module may skip work nobody would see). */
  hasSubscribers(topic: string): boolean {
    return this.byTopic.has(topic);
  }

  /** Pushes a frame this daemon made (not from Redis) to its own subscriptions of a topic. */
  deliver(topic: string, frame: Frame): void {
    const set = this.byTopic.get(topic);
    if (set) this.send(set, topic, frame);
  }

  /** Pushes a frame to one connection's subscriptions of a topic only (none: nothing). */
  deliverTo(target: PushTarget, topic: string, frame: Frame): void {
    const own = this.byTarget.get(target);
    if (own) this.send([...own].filter((subscription) => subscription.topics.includes(topic)), topic, frame);
  }

  private send(subscriptions: Iterable<Subscription>, topic: string, frame: Frame): void {
    const head = `{"jsonrpc":"2.0","method":"event","params":{"subscriptionId":"`;
    const middle = `","topic":${JSON.stringify(topic)},"type":${JSON.stringify(frame.type)},"data":${frame.json},"seq":`;
    const tail = `,"ts":${frame.ts}}}`;
    for (const subscription of subscriptions) {
      subscription.seq += 1;
      subscription.target.push(head + subscription.id + middle + subscription.seq + tail);
    }
  }

  private onResubscribed(): void {
    for (const subscription of this.subscriptions.values()) subscription.seq += 1;
    for (const channel of this.channels.values()) channel.wakeAll?.();
  }
}
