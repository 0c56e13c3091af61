/** What the editor feeds' tests against a real daemon share: a connection to the suite's daemon, and waiting for a model. */
import { silentLogger } from '../../common/logger';
import { DaemonConnection } from '../../extension/connection/daemon-connection';
import { FleetStore } from '../../extension/model/fleet-store';
import type { TestDaemon } from './daemon';

/** A connection (with its fleet store) to the daemon of `d`'s state dir that never starts one; stop it and dispose the store after. */
export function feedConnection(d: TestDaemon): { connection: DaemonConnection; store: FleetStore } {
  const store = new FleetStore(20);
  const connection = new DaemonConnection({ store, log: silentLogger, settings: () => ({ stateDir: d.stateDir, autoStart: false }), launch: () => Promise.reject(new Error('unused')), clientName: 'test' });
  return { connection, store };
}

/** Resolves when the model holds what `check` wants (checked on each change it hands out). */
export function modelSatisfies(model: { onDidChange(listener: () => void): { dispose(): void } }, check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve) => {
    const subscription = model.onDidChange(() => {
      if (!check()) return;
      subscription.dispose();
      resolve();
    });
  });
}
