/**
 * What a CLI suite sets up: a Redis, a daemon on it, and `cli(...args)` running the built
 * `switchboard` against that daemon's state dir. Call it inside `describe`: it registers the
 * suite's before/after hooks.
 */
import { startTestDaemon, type TestDaemon } from './daemon';
import { runCli } from './daemon-process';
import { startRedis, type TestRedis } from './redis-server';

export interface CliSuite {
  readonly redis: TestRedis;
  readonly daemon: TestDaemon;
  cli(...args: string[]): ReturnType<typeof runCli>;
}

export function cliSuite(): CliSuite {
  let redis: TestRedis | undefined;
  let daemon: TestDaemon | undefined;
  before(async () => {
    redis = await startRedis();
    daemon = await startTestDaemon(redis.url);
  });
  after(async () => {
    await daemon?.stop();
    await redis?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('cliSuite: used before its before hook ran');
    return value;
  };
  return {
    get redis() {
      return started(redis);
    },
    get daemon() {
      return started(daemon);
    },
    cli: (...args) => runCli([...args, '--state-dir', started(daemon).stateDir]),
  };
}
