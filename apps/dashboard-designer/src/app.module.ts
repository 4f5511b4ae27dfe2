import { Module } from '@nestjs/common';
import { AgentServiceModule } from '@aether/service-host';

/** The dashboard-designer agent as its own A2A service. */
@Module({ imports: [AgentServiceModule.forAgent('dashboard-designer')] })
export class AppModule {}
