import { Module } from '@nestjs/common';
import { AgentServiceModule } from '@aether/service-host';

/** The ds-orchestrator agent as its own A2A service. */
@Module({ imports: [AgentServiceModule.forAgent('ds-orchestrator')] })
export class AppModule {}
