/** `npm run demo`: runs the demo fleet against the local daemon until Ctrl-C. */
import { SwitchboardClient } from '../../client/client';
import { runFleet } from './fleet';

async function main(): Promise<void> {
  const client = await SwitchboardClient.connect({ clientName: 'demo-fleet' });
  const fleet = runFleet(client);
  process.stdout.write(`demo fleet running: ${fleet.agentIds.join(', ')}\n`);
  const stop = () => {
    fleet
      .stop()
      .catch(() => {})
      .finally(() => {
        client.close();
        process.exit(0);
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo fleet: ${(error as Error).message}\n`);
  process.exit(1);
});
