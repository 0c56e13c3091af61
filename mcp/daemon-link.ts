/**
 * The daemon `switchboard mcp` talks to: the one the flags, the environment or daemon.json name,
 * or — when none is found or it does not answer, and no --url was given — the bundled one, started
 * as the extension starts it (client/daemon-launcher.ts), detached so it outlives the session.
 * Sessions starting together may each start one; only one comes up, and the others use it.
 */
import type { Logger } from '../common/logger';
import { UserError } from '../common/user-error';
import { defaultStateDir } from '../common/state-dir';
import { SwitchboardClient } from '../client/client';
import { ConnectionError } from '../client/connection';
import { launchDaemon } from '../client/daemon-launcher';
import { DaemonNotFoundError, type DiscoveryOptions } from '../client/discovery';

export interface DaemonLinkOptions extends DiscoveryOptions {
  /** The CLI that runs `daemon` (dist/cli.js). */
  cliPath: string;
  clientName: string;
  log: Logger;
}

export async function connectDaemon({ cliPath, clientName, log, ...discovery }: DaemonLinkOptions): Promise<SwitchboardClient> {
  const connect = () => SwitchboardClient.connect({ ...discovery, clientName, reconnect: { initialDelayMs: 100, maxDelayMs: 5_000 } });
  try {
    return await connect();
  } catch (error) {
    const given = discovery.url ?? process.env.SWITCHBOARD_URL;
    if (given !== undefined) throw new UserError(`cannot reach the daemon at ${given}: ${(error as Error).message}`);
    if (!(error instanceof DaemonNotFoundError || error instanceof ConnectionError || (error as NodeJS.ErrnoException).code === 'ECONNREFUSED')) throw error;
    const stateDir = discovery.stateDir ?? defaultStateDir();
    log.info(`no daemon answers in ${stateDir} (${(error as Error).message}): starting one`);
    try {
      await launchDaemon({ cliPath, stateDir });
    } catch (launchError) {
      // Another session may have started one at the same moment: ours then lost the port or found it running.
      log.info(`the daemon we started did not come up (${(launchError as Error).message}): looking for one started meanwhile`);
      return connect().catch(() => Promise.reject(launchError as Error));
    }
    return connect();
  }
}
