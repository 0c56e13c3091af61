/**
 * The extension's link to the daemon: finds it (setting, or <state-dir>/daemon.json), starts the
 * bundled one when absent and allowed, connects with the SDK (which reconnects with capped,
 * jittered backoff and restores subscriptions), and keeps the FleetStore in step: a snapshot,
 * then pushed deltas; a seq gap or a reconnect means a new snapshot. Events that arrive while a
 * snapshot is loading are held and applied after it, so nothing older overwrites anything newer.
 */
import { EventEmitter } from 'node:events';
import { backoffDelay } from '../../client/backoff';
import { SwitchboardClient } from '../../client/client';
import { discoverDaemon, type DiscoveryOptions, type Endpoint } from '../../client/discovery';
import type { Logger } from '../../common/logger';
import type { PushedEvent } from '../../protocol/types';
import type { FleetStore } from '../model/fleet-store';

export type LinkState = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionSettings {
  /** switchboard.daemonUrl; empty = discover through the state dir. */
  daemonUrl?: string;
  /** Token when daemonUrl points elsewhere (else read from the state dir). */
  token?: string;
  stateDir: string;
  autoStart: boolean;
}

export interface ConnectionDeps {
  store: FleetStore;
  log: Logger;
  settings(): ConnectionSettings;
  /** Starts the bundled daemon (resolves once it is ready). */
  launch(stateDir: string): Promise<unknown>;
  clientName: string;
}

const RECENT_EVENTS_PER_TYPE = 50;

/** `pushed`: every event as it arrives, for views that keep their own picture (the dashboard). */
export class DaemonConnection extends EventEmitter<{ state: [LinkState]; resynced: []; pushed: [PushedEvent] }> {
  state: LinkState = 'disconnected';
  client?: SwitchboardClient;
  /** Why the last attempt failed (shown in the status bar tooltip and the welcome view). */
  lastError?: string;
  /** The URL of the daemon last connected to. */
  private url?: string;

  private attempt = 0;
  private retryTimer?: NodeJS.Timeout;
  private held?: PushedEvent[];
  /** Snapshots asked for: only the newest one's answer is applied (it applies what was held meanwhile). */
  private resyncs = 0;
  private stopped = false;
  private launching?: Promise<unknown>;

  constructor(private readonly deps: ConnectionDeps) {
    super();
  }

  /** Connects now, and keeps trying (with backoff) until it does or stop() is called. */
  async start(): Promise<void> {
    this.stopped = false;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    await this.tryConnect();
  }

  /** Drops the connection and connects again from scratch (the Reconnect command). */
  async restart(): Promise<void> {
    this.client?.close();
    this.client = undefined;
    await this.start();
  }

  /** Which daemon this is, or would be: URL, state dir, version (status bar, Agents view, log). */
  where(): string {
    const settings = this.deps.settings();
    const url = this.state === 'connected' ? this.url : settings.daemonUrl || undefined;
    const version = this.state === 'connected' ? this.client?.daemon?.daemonVersion : undefined;
    return [url, `state dir ${settings.stateDir}`, version && `daemon ${version}`].filter(Boolean).join(' · ');
  }

  /** Resolves once connected (at once if it is). */
  connected(): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    return new Promise((resolve) => {
      const onState = (state: LinkState) => {
        if (state !== 'connected') return;
        this.off('state', onState);
        resolve();
      };
      this.on('state', onState);
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.client?.close();
    this.client = undefined;
    this.setState('disconnected');
  }

  private async tryConnect(): Promise<void> {
    if (this.stopped) return;
    this.setState('connecting');
    const settings = this.deps.settings();
    this.deps.log.info(`connecting: ${this.where()}${settings.autoStart ? '' : ' (auto-start off)'}`);
    try {
      let endpoint = this.endpoint(settings);
      if (!endpoint && settings.autoStart && !settings.daemonUrl) {
        this.deps.log.info(`no daemon found in ${settings.stateDir}: starting the bundled one`);
        this.launching ??= this.deps.launch(settings.stateDir).finally(() => (this.launching = undefined));
        await this.launching;
        endpoint = this.endpoint(settings);
      }
      if (!endpoint) throw new Error(`no daemon found (${settings.stateDir}/daemon.json is missing) and auto-start is off`);
      // Discovery inputs, not the resolved URL: every redial reads daemon.json again, so a daemon
      // restarted on another port is found.
      const client = await SwitchboardClient.connect({
        ...this.discovery(settings),
        clientName: this.deps.clientName,
        reconnect: { initialDelayMs: 250, maxDelayMs: 10_000 },
      });
      if (this.stopped) return client.close();
      this.client = client;
      this.attempt = 0;
      this.lastError = undefined;
      client.on('state', (state) => {
        if (this.client !== client) return;
        if (state === 'open') this.setState('connected');
        else if (state === 'reconnecting') this.setState('disconnected');
      });
      this.held = [];
      await client.subscribe(['agents', 'approvals', 'signals', 'outcomes', 'events:*'], (event) => this.onEvent(event), {
        onResync: () => void this.resync(),
      });
      await this.resync();
      this.url = endpoint.url;
      this.deps.log.info(`connected: ${this.where()} (daemon id ${client.daemon?.daemonId})`);
      this.setState('connected');
    } catch (error) {
      this.lastError = (error as Error).message;
      this.deps.log.warn(`cannot connect: ${this.lastError}`);
      this.setState('disconnected');
      const delay = backoffDelay(this.attempt++, { initialDelayMs: 500, maxDelayMs: 15_000 });
      this.retryTimer = setTimeout(() => void this.tryConnect(), delay);
    }
  }

  private discovery(settings: ConnectionSettings): DiscoveryOptions {
    return { url: settings.daemonUrl || undefined, token: settings.token || undefined, stateDir: settings.stateDir };
  }

  private endpoint(settings: ConnectionSettings): Endpoint | undefined {
    try {
      return discoverDaemon(this.discovery(settings));
    } catch {
      return undefined;
    }
  }

  private onEvent(event: PushedEvent): void {
    this.emit('pushed', event);
    if (this.held) this.held.push(event);
    else this.deps.store.applyEvent(event);
  }

  /**
   * Loads a snapshot, then applies what arrived meanwhile. A resync asked for while another is on
   * its way (a seq gap during the first snapshot, a reconnect) supersedes it: the older answer is
   * dropped and events stay held until the newest one is in, so that no answer read before an
   * event applied directly can overwrite it (the real-host test saw a just-requested approval
   * vanish from the Approvals view that way), and no held event is lost.
   */
  private async resync(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const run = ++this.resyncs;
    this.held ??= [];
    try {
      const [agents, approvals, types, outcomes] = await Promise.all([client.agents.list(), client.approvals.pending(), client.events.types(), client.outcomes.stats({})]);
      const recent = await Promise.all(types.map((type) => client.events.recent({ type, count: RECENT_EVENTS_PER_TYPE })));
      if (run !== this.resyncs || this.client !== client) return;
      this.deps.store.applySnapshot({ agents, approvals, events: recent.flat().sort((a, b) => a.ts - b.ts), outcomeStats: outcomes.agents });
      this.releaseHeld();
      this.emit('resynced');
    } catch (error) {
      if (run !== this.resyncs) return;
      // What arrived meanwhile is still newer than what the store holds.
      this.releaseHeld();
      this.deps.log.warn(`resync failed: ${(error as Error).message}`);
    }
  }

  private releaseHeld(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.deps.store.applyEvent(event);
  }

  private setState(state: LinkState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }
}
