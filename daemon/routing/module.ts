/** The routing domain: dispatch.route, capability routing over the live agents (docs/workflows.md "Capability routing"). */
import type { DomainModule } from '../domain/module';
import { routingHandlers } from './handlers';

export const routingModule: DomainModule = {
  name: 'routing',
  create(deps) {
    return { handlers: routingHandlers(deps) };
  },
};
