/**
 * A feature's link to the daemon: `attach` runs with each new client the connection hands over
 * once connected (the first, and again after a reconnect or a restart), never twice with one.
 */
import type { SwitchboardClient } from '../../client/client';
import type { DaemonConnection, LinkState } from './daemon-connection';

export type ClientSource = Pick<DaemonConnection, 'state' | 'client' | 'on' | 'off'>;

export function onEachClient(connection: ClientSource, attach: (client: SwitchboardClient) => void): { dispose(): void } {
  let last: SwitchboardClient | undefined;
  const onState = (state: LinkState) => {
    const client = connection.client;
    if (state !== 'connected' || !client || client === last) return;
    last = client;
    attach(client);
  };
  connection.on('state', onState);
  onState(connection.state);
  return { dispose: () => connection.off('state', onState) };
}
