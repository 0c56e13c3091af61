/** The session domain: `hello`, the optional handshake. */
import type { DomainModule } from '../domain/module';
import { sessionHandlers } from './handlers';

export const sessionModule: DomainModule = {
  name: 'session',
  create: (deps) => ({ handlers: sessionHandlers(deps) }),
};
