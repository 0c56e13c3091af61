/** The daemon state the in-host suites expect, for either driver (code-server or @vscode/test-electron). */
import type { SwitchboardClient } from '../../../client/client';
import type { HostSeed } from './suites';

export async function seedDaemon(client: SwitchboardClient): Promise<HostSeed> {
  const agents = [{ agentId: 'host-a', workflow: 'alpha' }, { agentId: 'host-b', workflow: 'alpha' }, { agentId: 'host-c' }];
  for (const { agentId, workflow } of agents) {
    await client.agents.start({ agentId, ttlSeconds: 600, metadata: workflow ? { workflow } : {} });
    await client.agents.beat({ agentId, progress: 0.4, currentTask: 'Indexing' });
  }
  return {
    agents,
    approvalId: (await client.approvals.create({ agentId: 'host-a', type: 'deploy', context: { env: 'prod' } })).requestId,
    rejectId: (await client.approvals.create({ agentId: 'host-b', type: 'drop-table', context: { table: 'users' }, risk: 'high' })).requestId,
  };
}
