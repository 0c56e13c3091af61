import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { SwitchboardClient } from '../../../client/client';
import type { LinkState } from '../../../extension/connection/daemon-connection';
import { onEachClient, type ClientSource } from '../../../extension/connection/each-client';

class FakeConnection extends EventEmitter<{ state: [LinkState] }> {
  state: LinkState = 'disconnected';
  client?: SwitchboardClient;

  become(state: LinkState, client?: SwitchboardClient): void {
    this.state = state;
    if (client) this.client = client;
    this.emit('state', state);
  }
}

describe('onEachClient', () => {
  it('attaches each new client once it is connected, once per client, and stops when disposed', () => {
    const connection = new FakeConnection();
    const attached: string[] = [];
    const first = { name: 'first' } as unknown as SwitchboardClient;
    const second = { name: 'second' } as unknown as SwitchboardClient;
    const following = onEachClient(connection as unknown as ClientSource, (client) => attached.push((client as unknown as { name: string }).name));
    connection.become('connecting', first);
    assert.deepEqual(attached, [], 'not before it is connected');
    connection.become('connected');
    connection.become('connected');
    assert.deepEqual(attached, ['first'], 'a client once');
    connection.become('disconnected');
    connection.become('connected', second);
    assert.deepEqual(attached, ['first', 'second'], 'a reconnect hands over a new client');
    following.dispose();
    connection.become('connected', first);
    assert.deepEqual(attached, ['first', 'second']);
  });

  it('attaches at once when the connection is already up', () => {
    const connection = new FakeConnection();
    connection.become('connected', { name: 'up' } as unknown as SwitchboardClient);
    let calls = 0;
    onEachClient(connection as unknown as ClientSource, () => calls++);
    assert.equal(calls, 1);
  });
});
