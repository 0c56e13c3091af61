/** `switchboard route <capability>`: the live agents dispatch.route ranks for a capability (docs/workflows.md "Capability routing"). */
import type { Command } from 'commander';
import type { RouteCandidate } from '../protocol/types';
import { daemonCommand, print, printJson, withClient } from './client-commands';
import { table } from './table';

interface RouteOptions {
  capVersion?: string;
  excludeDegraded?: boolean;
}

export function registerRoutingCommands(program: Command): void {
  daemonCommand(program, 'route <capability>')
    .description('live agents advertising a capability, best first: score from queue depth, heartbeat age and success rate')
    .option('--cap-version <version>', 'only agents advertising exactly this version of it')
    .option('--exclude-degraded', 'leave out agents with a stale beat, a failure-rate alert or an open breaker')
    .action(withClient(async (client, flags, o: RouteOptions, capability: string) => {
      const routes = await client.routing.route({ capability, version: o.capVersion, excludeDegraded: o.excludeDegraded });
      return flags.json ? printJson(routes) : print(routes.length ? routesTable(routes) : `no live agent advertises ${capability}`);
    }));
}

const fixed = (n: number) => n.toFixed(3);

function routesTable(routes: RouteCandidate[]): string {
  const rows = routes.map((r) => [
    String(r.rank),
    r.agentId,
    r.version,
    fixed(r.score),
    `${fixed(r.components.queueDepth)} (${r.pendingSignals} pending)`,
    `${fixed(r.components.heartbeat)} (${r.beatAgeMs}ms)`,
    `${fixed(r.components.successRate)} (${r.outcomeCount} outcomes)`,
    r.degradedReasons.join(', '),
  ]);
  return table(['RANK', 'AGENT', 'VERSION', 'SCORE', 'QUEUE', 'HEARTBEAT', 'SUCCESS', 'DEGRADED'], rows);
}
