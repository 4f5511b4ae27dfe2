import { Module } from '@nestjs/common';
import { AgentServiceModule } from '@aether/service-host';

/** The orchestrator agent as its own A2A service. */
@Module({ imports: [AgentServiceModule.forAgent('orchestrator')] })
export class AppModule {}
