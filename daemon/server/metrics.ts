/** Prometheus metrics (GET /metrics), on a registry of the daemon's own so that several daemons can share a process in tests. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DaemonLimits } from '../../protocol/limits';

export interface MetricSources {
  subscriptions(): number;
  /** The domain modules' gauges, read from Redis at scrape time. */
  gauges: readonly { name: string; help: string; read(): Promise<number> }[];
}

export class DaemonMetrics {
  readonly registry = new Registry();
  readonly wsClients: Gauge;
  private readonly calls: Counter<'method' | 'outcome'>;
  private readonly limits: Counter<'limit'>;
  private readonly duration: Histogram<'method'>;
  /** Label children cached per method: the hot path does no label hashing. */
  private readonly children = new Map<string, { ok: Counter.Internal; seconds: Histogram.Internal<'method'> }>();

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'switchboard_process_' });
    this.calls = new Counter({
      name: 'switchboard_rpc_calls_total',
      help: 'RPC calls by method and outcome ("ok", "aborted" when the caller left first, or the JSON-RPC error code)',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'switchboard_rpc_duration_seconds',
      help: 'RPC call latency by method (blocking calls include their wait)',
      labelNames: ['method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30, 300, 3600],
      registers,
    });
    this.limits = new Counter({
      name: 'switchboard_limit_hits_total',
      help: 'Requests refused or held back by a configured limit (docs/protocol.md "Limits")',
      labelNames: ['limit'],
      registers,
    });
    this.wsClients = new Gauge({ name: 'switchboard_ws_clients', help: 'Connected WebSocket clients', registers });
    new Gauge({
      name: 'switchboard_subscriptions',
      help: 'Event subscriptions held by this daemon',
      registers,
      collect() {
        this.set(sources.subscriptions());
      },
    });
    for (const gauge of sources.gauges) {
      new Gauge({
        name: gauge.name,
        help: gauge.help,
        registers,
        async collect() {
          await setFrom(this, gauge.read);
        },
      });
    }
  }

  /** outcome: "ok", "aborted", or the error code. */
  observe(method: string, outcome: string, seconds: number): void {
    let child = this.children.get(method);
    if (!child) {
      child = { ok: this.calls.labels(method, 'ok'), seconds: this.duration.labels(method) };
      this.children.set(method, child);
    }
    if (outcome === 'ok') child.ok.inc();
    else this.calls.labels(method, outcome).inc();
    child.seconds.observe(seconds);
  }

  limitHit(limit: keyof DaemonLimits): void {
    this.limits.labels(limit).inc();
  }
}

/** Sets a gauge from Redis; while Redis does not answer, /metrics still answers (with the last value), and /healthz says why. */
async function setFrom(gauge: Gauge, read: () => Promise<number>): Promise<void> {
  try {
    gauge.set(await read());
  } catch {
    // keep the last value
  }
}
