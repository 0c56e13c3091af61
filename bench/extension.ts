/**
 * The extension's view models under load, in Node as in the extension host: a 10 000-agent
 * snapshot (received as JSON, parsed, applied, the tree rebuilt and walked), then 1 000 agent
 * deltas a second for DURATION seconds, with the tree refreshed as the Agents view does (element
 * refreshes, each redrawn row read back). Reports the longest single event-loop block (target
 * ≤ 50 ms) and tree refreshes per second (target ≤ 10). The machine-independent figure: the
 * longest block ÷ a bare JSON.parse of the same snapshot, measured in the same run.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { AgentTreeModel, type AgentTreeNode } from '../extension/model/agent-tree-model';
import { FleetStore } from '../extension/model/fleet-store';
import type { AgentStatus, PushedEvent } from '../protocol/types';
import { median, round, writeResult } from './lib';

const AGENTS = 10_000;
const DELTAS_PER_SECOND = 1_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SNAPSHOTS = 3;

function agent(i: number, beat: number): AgentStatus {
  const now = Date.now();
  return {
    agentId: `agent-${i}`,
    status: 'running',
    progress: (beat % 100) / 100,
    currentTask: `step ${beat} of task ${i % 37}`,
    metadata: { workflow: `wf-${i % 25}`, model: 'capable', attempt: beat % 3 },
    startedAt: now - 60_000,
    lastBeatAt: now,
    ttlSeconds: 30,
    alive: true,
  };
}

/** What VS Code does after a refresh: read the refreshed rows (and a root refresh re-reads the visible top). */
function redraw(model: AgentTreeModel, refresh: AgentTreeNode[] | undefined): void {
  for (const node of refresh ?? model.children().slice(0, 50)) model.children(node);
}

async function run(): Promise<{ longestBlockMs: number; refreshesPerSec: number; snapshotParseMs: number; deltasApplied: number }> {
  const store = new FleetStore(100);
  const model = new AgentTreeModel(store);
  let refreshes = 0;
  store.onDidChange((change) => {
    refreshes++;
    redraw(model, change.agents === 'all' ? model.rebuild() : model.update(change.agents));
  });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let longestTaskMs = 0;
  const timed = (work: () => void) => {
    const started = performance.now();
    work();
    longestTaskMs = Math.max(longestTaskMs, performance.now() - started);
  };

  // Snapshots, as they arrive: one JSON text each (the SDK parses the reply).
  const snapshotJson = JSON.stringify(Array.from({ length: AGENTS }, (_, i) => agent(i, 0)));
  let snapshotParseMs = Infinity;
  for (let s = 0; s < SNAPSHOTS; s++) {
    const parseStarted = performance.now();
    const agents = JSON.parse(snapshotJson) as AgentStatus[];
    snapshotParseMs = Math.min(snapshotParseMs, performance.now() - parseStarted);
    timed(() => store.applySnapshot({ agents, approvals: [] }));
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  // Deltas: 1 000 a second, in 10 ms batches as they would come off the socket.
  refreshes = 0;
  const started = performance.now();
  let sent = 0;
  let beat = 1;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * DELTAS_PER_SECOND) - sent;
      timed(() => {
        for (let k = 0; k < due; k++, sent++) {
          const i = (sent * 7919) % AGENTS;
          store.applyEvent({ subscriptionId: 's', topic: 'agents', type: 'agent.beat', data: JSON.parse(JSON.stringify(agent(i, beat++))), seq: sent, ts: Date.now() } as PushedEvent);
        }
      });
      if (performance.now() - started >= SECONDS * 1000) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  const elapsed = (performance.now() - started) / 1000;
  histogram.disable();
  store.dispose();
  return {
    longestBlockMs: round(Math.max(longestTaskMs, histogram.max / 1e6 - 1), 1),
    refreshesPerSec: round(refreshes / elapsed, 1),
    snapshotParseMs: round(snapshotParseMs, 1),
    deltasApplied: sent,
  };
}

async function main(): Promise<void> {
  const runs: (Awaited<ReturnType<typeof run>> & { ratioToParse: number })[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await run();
    runs.push({ ...result, ratioToParse: round(result.longestBlockMs / result.snapshotParseMs, 2) });
    process.stderr.write(`run ${i + 1}: ${JSON.stringify(runs.at(-1))}\n`);
  }
  const med = (key: keyof (typeof runs)[number]) => median(runs.map((r) => r[key] as number));
  writeResult('extension', {
    agents: AGENTS,
    deltasPerSecond: DELTAS_PER_SECOND,
    seconds: SECONDS,
    runs,
    median: { longestBlockMs: med('longestBlockMs'), refreshesPerSec: med('refreshesPerSec'), snapshotParseMs: med('snapshotParseMs'), ratioToParse: med('ratioToParse') },
    target: { longestBlockMs: 50, refreshesPerSec: 10 },
  });
}

void main();
