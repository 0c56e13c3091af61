/** `switchboard daemon`: runs the daemon in the foreground until SIGINT/SIGTERM. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import Type from 'typebox';
import Ajv from 'ajv';
import { LIMITS, type DaemonLimits } from '../protocol/limits';
import { DEFAULT_PORT, startDaemon } from '../daemon/runtime/daemon';
import { UserError } from '../common/user-error';
import { DEFAULT_REDIS_MAXMEMORY, REDIS_MAXMEMORY_PATTERN } from '../daemon/runtime/embedded-redis';
import { stderrLogger } from '../common/logger';
import { defaultStateDir } from '../common/state-dir';
import { readRulesFile } from './rules-file';

/** Optional `<state-dir>/config.json`; flags override it. */
const ConfigFile = Type.Object(
  {
    allowedOrigins: Type.Optional(Type.Array(Type.String())),
    allowedHosts: Type.Optional(Type.Array(Type.String())),
    metricsPublic: Type.Optional(Type.Boolean()),
    /** Kept from before `limits` existed; `limits.maxValueBytes` wins. */
    maxValueBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 1024 * 1024 })),
    limits: Type.Optional(
      Type.Object(
        Object.fromEntries(Object.keys(LIMITS).map((name) => [name, Type.Optional(Type.Integer({ minimum: 1 }))])) as Record<
          keyof DaemonLimits,
          Type.TOptional<Type.TInteger>
        >,
        { additionalProperties: false },
      ),
    ),
    redisMaxMemory: Type.Optional(Type.String({ pattern: REDIS_MAXMEMORY_PATTERN.source })),
    /** docs/safety.md "Enforcement": `enforcement: false` lets payloads through unchecked. */
    safety: Type.Optional(Type.Object({ enforcement: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
type ConfigFile = Type.Static<typeof ConfigFile>;

interface DaemonFlags {
  host: string;
  port: string;
  redis?: string;
  redisMaxmemory?: string;
  stateDir?: string;
  namespace: string;
  allowOrigin: string[];
  allowHost: string[];
  metricsPublic?: boolean;
  safetyRules?: string;
  safetyEnforcement?: boolean;
  verbose?: boolean;
}

export function registerDaemonCommand(program: Command): void {
  program
    .command('daemon')
    .description('run the Switchboard daemon in the foreground (embedded Redis unless --redis or SWITCHBOARD_REDIS_URL)')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to bind (0 = any free port)', String(DEFAULT_PORT))
    .option('--redis <url>', 'use this Redis instead of an embedded one (also SWITCHBOARD_REDIS_URL)')
    .option('--redis-maxmemory <size>', `embedded Redis memory cap, e.g. 512mb (default ${DEFAULT_REDIS_MAXMEMORY}); past it writes are refused, nothing is evicted`)
    .option('--state-dir <dir>', 'token, daemon.json and embedded Redis data (default $XDG_STATE_HOME/switchboard)')
    .option('--namespace <name>', 'Redis key namespace', 'sb')
    .option('--allow-origin <origin>', 'accept requests carrying this Origin (repeatable)', collect, [])
    .option('--allow-host <host>', 'accept this Host header too (repeatable)', collect, [])
    .option('--metrics-public', 'serve /metrics without the token')
    .option('--safety-rules <file>', 'make this rule set (a JSON array of rules, or {"rules": [...]}) live at start if it differs; a bad rule refuses to start')
    .option('--safety-enforcement <on|off>', 'check payloads against the live rules (default on, or config.json safety.enforcement)', parseOnOff)
    .option('--verbose', 'log more to stderr')
    .action(async (flags: DaemonFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be an integer 0..65535, not "${flags.port}"`);
      if (flags.redisMaxmemory !== undefined && !REDIS_MAXMEMORY_PATTERN.test(flags.redisMaxmemory)) {
        throw new UserError(`--redis-maxmemory must be a size like 512mb or 1gb (digits, then b, kb, mb or gb), not "${flags.redisMaxmemory}"`);
      }
      const stateDir = flags.stateDir ?? defaultStateDir();
      const config = readConfig(stateDir);
      const startRules = flags.safetyRules === undefined ? undefined : { rules: readRulesFile(flags.safetyRules), by: `--safety-rules ${flags.safetyRules}` };
      const log = stderrLogger(flags.verbose ?? false);
      // Handlers first: a signal that comes while the daemon is still starting stops it once it is
      // up, instead of killing the process and leaving an embedded Redis behind.
      let stop: (() => Promise<void>) | undefined = undefined;
      let signalled: string | undefined;
      const shutdown = (signal: string) => {
        signalled ??= signal;
        if (!stop) return;
        log.info(`${signal}: shutting down`);
        stop().then(
          () => process.exit(0),
          (error: unknown) => {
            log.error(`shutdown failed: ${(error as Error).message}`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      const daemon = await startDaemon({
        stateDir,
        host: flags.host,
        port,
        redisUrl: flags.redis ?? (process.env.SWITCHBOARD_REDIS_URL || undefined),
        redisMaxMemory: flags.redisMaxmemory ?? config.redisMaxMemory,
        namespace: flags.namespace,
        allowedOrigins: [...(config.allowedOrigins ?? []), ...flags.allowOrigin],
        allowedHosts: [...(config.allowedHosts ?? []), ...flags.allowHost],
        metricsPublic: flags.metricsPublic ?? config.metricsPublic ?? false,
        safety: { enforcement: flags.safetyEnforcement ?? config.safety?.enforcement ?? true, startRules },
        limits: { ...(config.maxValueBytes === undefined ? {} : { maxValueBytes: config.maxValueBytes }), ...config.limits },
        log,
      });
      stop = daemon.stop;
      if (signalled) return shutdown(signalled);
      process.stdout.write(`switchboard ready ${daemon.info.url}\n`);
    });
}

function parseOnOff(text: string): boolean {
  if (text !== 'on' && text !== 'off') throw new InvalidArgumentError('must be on or off');
  return text === 'on';
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function readConfig(stateDir: string): ConfigFile {
  const file = join(stateDir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const validate = new Ajv().compile(ConfigFile);
  if (!validate(parsed)) {
    const e = validate.errors?.[0];
    throw new UserError(`${file}: ${e?.instancePath || 'config'} ${e?.message ?? 'is invalid'}`);
  }
  return parsed as ConfigFile;
}
