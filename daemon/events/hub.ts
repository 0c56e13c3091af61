/**
 * Fans the domain channels out to local subscriptions and wakes local waiters. Every daemon on
 * the same Redis runs one hub on its own subscriber connection, so a change made through any
 * daemon reaches the clients and blocked calls of all of them.
 */
import type Redis from 'ioredis';
import type { Keys } from '../store/keys';
import { parseFrame, type Frame } from './frame';
import { Waiters } from './waiters';

/** Where a subscription's pushes go (a WebSocket connection). */
export interface PushTarget {
  /** Sends a frame; returns false when the frame was dropped because the peer is not keeping up. */
  push(frame: string): boolean;
}

/** The signalWaiters group of signal.wait calls with no type filter ('*' is never a type). */
export const ANY_SIGNAL_TYPE = '*';

interface Subscription {
  id: string;
  topics: string[];
  seq: number;
  target: PushTarget;
}

export class EventHub {
  /** signal.wait callers, keyed by agent id, grouped by the type they wait for (ANY_SIGNAL_TYPE: none). */
  readonly signalWaiters = new Waiters();
  /** approval.wait / approval.request callers, keyed by request id. */
  readonly approvalWaiters = new Waiters();

  private readonly subscriptions = new Map<string, Subscription>();
  private readonly byTarget = new Map<PushTarget, Set<Subscription>>();
  private readonly byTopic = new Map<string, Set<Subscription>>();
  private readonly topicOfChannel: Map<string, string>;
  private nextId = 1;
  private connectedOnce = false;

  constructor(
    private readonly subscriber: Redis,
    keys: Keys,
  ) {
    const { agents, signals, approvals, events } = keys.channels;
    this.topicOfChannel = new Map([
      [agents, 'agents'],
      [signals, 'signals'],
      [approvals, 'approvals'],
      [events, 'events:'],
    ]);
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
    await this.subscriber.subscribe(...this.topicOfChannel.keys());
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

  private onMessage(channel: string, message: string): void {
    const topic = this.topicOfChannel.get(channel);
    const frame = parseFrame(message);
    if (topic === undefined || frame === undefined) return;
    if (topic === 'signals' && frame.type === 'signal.sent') {
      this.wakeSignalWaiters(frame.key);
    } else if (topic === 'approvals' && frame.type !== 'approval.requested') {
      this.approvalWaiters.notify(frame.key);
    }
    if (topic !== 'events:') return this.deliver(topic, frame);
    this.deliver(`events:${frame.key}`, frame);
    this.deliver('events:*', frame);
  }

  /**
   * A signal.sent frame is keyed "<target> <type>" (target "*" for a broadcast): it wakes the
   * waiters of that type or of any type — of its target, or of every agent for a broadcast — and
   * no others, so a broadcast nobody waits for costs no take.
   */
  private wakeSignalWaiters(key: string): void {
    const space = key.indexOf(' ');
    const target = key.slice(0, space);
    for (const group of [key.slice(space + 1), ANY_SIGNAL_TYPE]) {
      if (target === '*') this.signalWaiters.notifyGroup(group);
      else this.signalWaiters.notify(target, group);
    }
  }

  private deliver(topic: string, frame: Frame): void {
    const set = this.byTopic.get(topic);
    if (!set) return;
    const head = `{"jsonrpc":"2.0","method":"event","params":{"subscriptionId":"`;
    const middle = `","topic":${JSON.stringify(topic)},"type":${JSON.stringify(frame.type)},"data":${frame.json},"seq":`;
    const tail = `,"ts":${frame.ts}}}`;
    for (const subscription of set) {
      subscription.seq += 1;
      subscription.target.push(head + subscription.id + middle + subscription.seq + tail);
    }
  }

  private onResubscribed(): void {
    for (const subscription of this.subscriptions.values()) subscription.seq += 1;
    this.signalWaiters.notifyAll();
    this.approvalWaiters.notifyAll();
  }
}
