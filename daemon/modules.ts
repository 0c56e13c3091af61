/** Every domain module of the daemon: a new domain is a folder and one line here. */
import { agentsModule } from './agents/module';
import { approvalsModule } from './approvals/module';
import { coordinationModule } from './coordination/module';
import type { DomainModule } from './domain/module';
import { eventsModule } from './events/module';
import { feedbackModule } from './feedback/module';
import { outcomesModule } from './outcomes/module';
import { queuesModule } from './queues/module';
import { routingModule } from './routing/module';
import { safetyModule } from './safety/module';
import { sessionModule } from './session/module';
import { signalsModule } from './signals/module';
import { workflowsModule } from './workflows/module';

export const MODULES: readonly DomainModule[] = [sessionModule, agentsModule, signalsModule, approvalsModule, eventsModule, queuesModule, outcomesModule, safetyModule, coordinationModule, feedbackModule, workflowsModule, routingModule];
