/** The Redis clock, read in a listing's pipeline: expiries are stamped by it, so they are judged by it too. */
import type { ChainableCommander } from 'ioredis';

/** Queues TIME first on a pipeline. */
export function withTime(pipeline: ChainableCommander): ChainableCommander {
  return pipeline.time();
}

/** The TIME reply (the pipeline's first) in epoch ms. */
export function timeMs(replies: [Error | null, unknown][]): number {
  const [seconds, micros] = replies[0]![1] as [string, string];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
