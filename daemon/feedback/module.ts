/** The feedback domain: feedback.* methods (no channel, sweep or gauge: buckets expire with Redis TTLs). */
import type { DomainModule } from '../domain/module';
import { feedbackHandlers } from './handlers';

export const feedbackModule: DomainModule = {
  name: 'feedback',
  create(deps) {
    return { handlers: feedbackHandlers(deps) };
  },
};
