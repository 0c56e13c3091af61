/** Assembles and runs one daemon: Redis (embedded or given), the event hub, RPC, HTTP/WS, the sweeper. */
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DEFAULT_LIMITS, type DaemonLimits } from '../../protocol/limits';
import type { DaemonInfo, Health } from '../../protocol/types';
import { PROTOCOL_VERSION } from '../../protocol/version';
import { METHOD_NAMES, type MethodName } from '../../protocol/methods';
import { MODULES } from '../modules';
import { Sweeper } from './sweeper';
import type { Deps, SafetySettings } from '../domain/deps';
import { EventHub } from '../hub/hub';
import { InFlight } from '../server/calls';
import type { Handlers } from '../domain/context';
import { RequestGuard } from '../server/guard';
import { createHttpServer } from '../server/http';
import { DaemonMetrics } from '../server/metrics';
import { ConnectionRateLimit } from '../server/connection-rate-limit';
import { RpcDispatcher } from '../server/rpc';
import { WsTransport } from '../server/ws';
import { createKeys } from '../store/keys';
import { connectRedis, openCommandConnection, RedisConnectError, redactUrl, type RedisTarget } from '../store/redis';
import { RedisHealth } from '../store/redis-health';
import { defineScripts } from '../store/scripts';
import { UserError } from '../../common/user-error';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis';
import { silentLogger, type Logger } from '../../common/logger';
import { daemonInfoPath, ensureStateDir, loadOrCreateToken } from '../../common/state-dir';
import { DAEMON_VERSION } from '../../common/version';

export interface DaemonOptions {
  stateDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Absent: embedded mode. */
  redisUrl?: string;
  /** maxmemory of the embedded Redis (default DEFAULT_REDIS_MAXMEMORY); writes past it are refused. */
  redisMaxMemory?: string;
  /** Key namespace on Redis (several independent Switchboards can share one Redis). */
  namespace?: string;
  allowedOrigins?: string[];
  allowedHosts?: string[];
  metricsPublic?: boolean;
  /** Safety enforcement (default on) and a rule set to make live at start. */
  safety?: Partial<SafetySettings>;
  /** Overrides of DEFAULT_LIMITS. */
  limits?: Partial<DaemonLimits>;
  log?: Logger;
}

export interface RunningDaemon {
  info: DaemonInfo;
  port: number;
  token: string;
  daemonId: string;
  /** Stops accepting, finishes in-flight replies, closes, removes daemon.json. */
  stop(): Promise<void>;
}

export const DEFAULT_PORT = 7420;

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const log = options.log ?? silentLogger;
  const limits: DaemonLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const host = options.host ?? '127.0.0.1';
  ensureStateDir(options.stateDir);
  await refuseIfRunning(options.stateDir, log);
  const token = loadOrCreateToken(options.stateDir);

  let embedded: EmbeddedRedis | undefined;
  let target: RedisTarget;
  if (options.redisUrl) target = { url: options.redisUrl };
  else {
    embedded = await startEmbeddedRedis(options.stateDir, { maxMemory: options.redisMaxMemory, log });
    target = { path: embedded.socket };
    log.info(`${embedded.adopted ? 'adopted' : 'started'} embedded Redis at ${embedded.socket}`);
  }

  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const redis = await openCommandConnection(target, limits.redisCommandTimeoutMs).catch((error: unknown) => {
      throw error instanceof RedisConnectError ? new UserError(error.message) : error;
    });
    defineScripts(redis);
    cleanup.push(() => redis.quit().catch(() => redis.disconnect()));
    redis.on('error', (error: Error) => log.warn(`redis: ${error.message}`));
    const subscriber = connectRedis(target, 'switchboard-events');
    subscriber.on('error', (error: Error) => log.warn(`redis subscriber: ${error.message}`));
    cleanup.push(() => subscriber.quit().catch(() => subscriber.disconnect()));

    const keys = createKeys(options.namespace);
    const hub = new EventHub(subscriber);
    const daemonId = randomUUID();
    const safety: SafetySettings = { enforcement: true, ...options.safety };
    const deps: Deps = { redis, keys, hub, daemonId, version: DAEMON_VERSION, limits, safety };
    const parts = MODULES.map((module) => module.create(deps));
    const handlers = mergeHandlers(parts.map((part) => part.handlers));
    for (const channel of parts.flatMap((part) => part.channels ?? [])) hub.listen(channel);
    await hub.start();
    for (const part of parts) await part.start?.();

    const metrics = new DaemonMetrics({ subscriptions: () => hub.subscriptionCount, gauges: parts.flatMap((part) => part.gauges ?? []) });
    const inFlight = new InFlight();
    const dispatcher = new RpcDispatcher(handlers, { limits, metrics, log, hooks: [
        new ConnectionRateLimit(limits.maxCallsPerSecondPerConnection),
        ...parts.flatMap((part) => part.hooks ?? []),
      ],
    });
    const guard = new RequestGuard({ token, allowedOrigins: options.allowedOrigins ?? [], allowedHosts: options.allowedHosts ?? [] });
    const ws = new WsTransport({ dispatcher, hub, metrics, inFlight, limits, log });
    const redisHealth = new RedisHealth([redis, subscriber], redis);
    redisHealth.start();
    cleanup.push(async () => redisHealth.stop());
    const health = (): Health => {
      const up = redisHealth.up;
      return { status: up ? 'ok' : 'degraded', redis: up ? 'up' : 'down', version: DAEMON_VERSION };
    };
    const server = createHttpServer({
      guard,
      dispatcher,
      metrics,
      inFlight,
      metricsPublic: options.metricsPublic ?? false,
      health,
      upgrade: (req, socket, head) => ws.upgrade(req, socket, head),
    });
    await listen(server, host, options.port ?? DEFAULT_PORT);
    const port = (server.address() as AddressInfo).port;
    guard.bind(host, port);

    const sweeper = new Sweeper(parts.flatMap((part) => part.sweeps ?? []), log);
    sweeper.start();

    const urlHost = host.includes(':') ? `[${host}]` : host;
    const info: DaemonInfo = {
      pid: process.pid,
      url: `ws://${urlHost}:${port}/v1`,
      httpUrl: `http://${urlHost}:${port}`,
      redis: embedded ? `unix://${embedded.socket}` : redactUrl(options.redisUrl!),
      version: DAEMON_VERSION,
      protocolVersion: PROTOCOL_VERSION,
    };
    writeDaemonInfo(options.stateDir, info);

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        server.close();
        await inFlight.drain(5_000);
        await ws.close();
        server.closeAllConnections();
        await sweeper.stop();
        for (const step of cleanup.reverse()) await step();
        await embedded?.stop();
        removeDaemonInfo(options.stateDir);
      })());
    return { info, port, token, daemonId, stop };
  } catch (error) {
    for (const step of cleanup.reverse()) await step();
    await embedded?.stop();
    throw error;
  }
}

/** Every method of the protocol has exactly one module's handler (checked at start-up, and by a test). */
export function mergeHandlers(all: readonly Partial<Handlers>[]): Handlers {
  const merged: Partial<Handlers> = {};
  for (const handlers of all) {
    for (const method of Object.keys(handlers) as MethodName[]) {
      if (Object.hasOwn(merged, method)) throw new Error(`two domain modules handle ${method}`);
      (merged as Record<string, unknown>)[method] = handlers[method];
    }
  }
  const missing = METHOD_NAMES.filter((method) => !Object.hasOwn(merged, method));
  if (missing.length > 0) throw new Error(`no domain module handles ${missing.join(', ')}`);
  return merged as Handlers;
}

function listen(server: import('node:http').Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new UserError(`port ${port} on ${host} is in use: pass --port to pick another`) : error),
    );
    server.listen(port, host, () => resolve());
  });
}

/**
 * One daemon per state dir: a second would fight over daemon.json and the embedded Redis. A live
 * pid is not proof (pids are reused after a reboot or a kill -9): the daemon must also answer
 * /healthz at its URL; if nothing listens there, or something else does, the file is stale.
 */
async function refuseIfRunning(stateDir: string, log: Logger): Promise<void> {
  let info: DaemonInfo;
  try {
    info = JSON.parse(readFileSync(daemonInfoPath(stateDir), 'utf8')) as DaemonInfo;
  } catch {
    return;
  }
  if (info.pid === process.pid || !isAlive(info.pid)) return;
  const answer = await probeHealth(info.httpUrl);
  if (answer === 'stale') {
    log.warn(`ignoring stale ${daemonInfoPath(stateDir)}: pid ${info.pid} is alive but no daemon answers at ${info.httpUrl}`);
    return;
  }
  const why = answer === 'daemon' ? '' : ` (it did not answer /healthz within ${HEALTH_PROBE_MS} ms; if no daemon runs, remove daemon.json)`;
  throw new UserError(`a daemon is already running for ${stateDir} (pid ${info.pid}, ${info.url})${why}`);
}

const HEALTH_PROBE_MS = 500;

/**
 * 'daemon' if a Switchboard daemon answers /healthz (with its version, healthy or not), 'stale' if
 * the connection is refused or something else answers, 'silent' on a timeout: a daemon whose
 * event loop is busy accepts but answers late, and must not get a twin on the same Redis.
 */
async function probeHealth(httpUrl: string): Promise<'daemon' | 'stale' | 'silent'> {
  try {
    const res = await fetch(`${httpUrl}/healthz`, { signal: AbortSignal.timeout(HEALTH_PROBE_MS) });
    const body = (await res.json().catch(() => undefined)) as Partial<Health> | undefined;
    return typeof body?.version === 'string' ? 'daemon' : 'stale';
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? 'silent' : 'stale';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeDaemonInfo(stateDir: string, info: DaemonInfo): void {
  const file = daemonInfoPath(stateDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

function removeDaemonInfo(stateDir: string): void {
  const file = daemonInfoPath(stateDir);
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as DaemonInfo).pid === process.pid) rmSync(file);
  } catch {
    // already gone
  }
}
