import { Module } from '@nestjs/common';
import { AgentServiceModule } from '@aether/service-host';

/** The developer agent as its own A2A service. */
@Module({ imports: [AgentServiceModule.forAgent('developer')] })
export class AppModule {}
