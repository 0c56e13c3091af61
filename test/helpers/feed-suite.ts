/** What the editor feeds' tests against a real daemon share: a connection to the suite's daemon, a feed and model per test, and waiting for a model. */
import { silentLogger } from '../../common/logger';
import { DaemonConnection } from '../../extension/connection/daemon-connection';
import { FleetStore } from '../../extension/model/fleet-store';
import type { TestDaemon } from './daemon';

/** A connection (with its fleet store) to the daemon of `d`'s state dir that never starts one; stop it and dispose the store after. */
function feedConnection(d: TestDaemon): { connection: DaemonConnection; store: FleetStore } {
  const store = new FleetStore(20);
  const connection = new DaemonConnection({ store, log: silentLogger, settings: () => ({ stateDir: d.stateDir, autoStart: false }), launch: () => Promise.reject(new Error('unused')), clientName: 'test' });
  return { connection, store };
}

interface Disposable {
  dispose(): void;
}

/**
 * A fresh connection, model and feed for each test (made by `create` on the connection), handed to
 * `use` as useDaemon hands its env, and all disposed after the test.
 */
export function useFeed<M extends Disposable, F extends Disposable>(
  daemon: () => TestDaemon,
  create: (connection: DaemonConnection) => { model: M; feed: F },
  use: (parts: { connection: DaemonConnection; model: M; feed: F }) => void,
): void {
  let parts: { connection: DaemonConnection; store: FleetStore; model: M; feed: F } | undefined;
  beforeEach(() => {
    const { connection, store } = feedConnection(daemon());
    parts = { connection, store, ...create(connection) };
    use(parts);
  });
  afterEach(() => {
    parts?.feed.dispose();
    parts?.connection.stop();
    parts?.model.dispose();
    parts?.store.dispose();
  });
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
