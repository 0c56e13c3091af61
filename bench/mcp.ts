/**
 * MCP tool-call round trip through `switchboard mcp` (the official SDK's Client over stdio → the
 * MCP server → its policy.check and the tool's daemon call → back) against the same daemon call
 * made directly with the TypeScript SDK, interleaved call by call in the same run, one call in
 * flight. Two tools: check_signals (signal.check) and report_status (agent.beat). The figure
 * judged is p99(MCP) − p99(direct). Target: ≤ 5 ms.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { SwitchboardClient } from '../client/client';
import { startMcpSession } from '../test/helpers/mcp-session';
import { median, oneDaemon, percentile, round, writeResult } from './lib';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WARMUP = 2000;
const TARGET_ADDED_P99_MS = 5;

interface Pair {
  tool: string;
  args: Record<string, unknown>;
  direct(client: SwitchboardClient, agentId: string): Promise<unknown>;
}

const PAIRS: Pair[] = [
  { tool: 'check_signals', args: { type: 'bench' }, direct: (client, agentId) => client.signals.check({ agentId, type: 'bench' }) },
  { tool: 'report_status', args: { currentTask: 'benchmarking' }, direct: (client, agentId) => client.agents.beat({ agentId, currentTask: 'benchmarking' }) },
];

const ms = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
const stats = (xs: number[]) => ({ p50Ms: round(percentile(xs, 50), 3), p99Ms: round(percentile(xs, 99), 3) });

async function main(): Promise<void> {
  const bench = await oneDaemon();
  const { daemon } = bench;
  const session = await startMcpSession(bench.stateDir, { args: ['--agent-id', 'bench-mcp'], clientName: 'bench' });
  const sdk = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token, reconnect: false });
  try {
    const mcpCall = async (pair: Pair) => {
      const result = (await session.client.callTool({ name: pair.tool, arguments: pair.args })) as CallToolResult;
      if (result.isError) throw new Error(`${pair.tool}: ${JSON.stringify(result.content)}`);
    };
    const measure = async (pair: Pair, calls: number) => {
      const viaMcp: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < calls; i++) {
        let started = process.hrtime.bigint();
        await mcpCall(pair);
        viaMcp.push(ms(started));
        started = process.hrtime.bigint();
        await pair.direct(sdk, 'bench-mcp');
        direct.push(ms(started));
      }
      return { viaMcp, direct };
    };
    for (const pair of PAIRS) await measure(pair, WARMUP);
    const runs: Record<string, { mcp: ReturnType<typeof stats>; direct: ReturnType<typeof stats>; addedP99Ms: number }>[] = [];
    for (let run = 0; run < RUNS; run++) {
      const figures: (typeof runs)[number] = {};
      for (const pair of PAIRS) {
        const { viaMcp, direct } = await measure(pair, CALLS);
        const mcp = stats(viaMcp);
        const own = stats(direct);
        figures[pair.tool] = { mcp, direct: own, addedP99Ms: round(mcp.p99Ms - own.p99Ms, 3) };
      }
      runs.push(figures);
      process.stderr.write(`run ${run + 1}: ${JSON.stringify(figures)}\n`);
    }
    const med = (tool: string, pick: (f: (typeof runs)[number][string]) => number) => round(median(runs.map((r) => pick(r[tool]!))), 3);
    writeResult('mcp', {
      calls: CALLS,
      runs,
      median: Object.fromEntries(
        PAIRS.map(({ tool }) => [
          tool,
          {
            mcp: { p50Ms: med(tool, (f) => f.mcp.p50Ms), p99Ms: med(tool, (f) => f.mcp.p99Ms) },
            direct: { p50Ms: med(tool, (f) => f.direct.p50Ms), p99Ms: med(tool, (f) => f.direct.p99Ms) },
            addedP99Ms: med(tool, (f) => f.addedP99Ms),
          },
        ]),
      ),
      target: { addedP99Ms: TARGET_ADDED_P99_MS },
    });
  } finally {
    sdk.close();
    await session.close();
    await bench.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
