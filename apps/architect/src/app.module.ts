import { Module } from '@nestjs/common';
import { AgentServiceModule } from '@aether/service-host';

/** The architect agent as its own A2A service. */
@Module({ imports: [AgentServiceModule.forAgent('architect')] })
export class AppModule {}
