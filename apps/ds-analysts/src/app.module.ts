import { Module } from '@nestjs/common';
import { AgentServiceModule } from '@aether/service-host';

/** The ds-analysts agent as its own A2A service. */
@Module({ imports: [AgentServiceModule.forAgent('ds-analysts')] })
export class AppModule {}
