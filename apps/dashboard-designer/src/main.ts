import { AGENT_PORTS } from '@aether/core';
import { bootstrapService } from '@aether/service-host';
import { AppModule } from './app.module';

await bootstrapService(AppModule, { service: 'dashboard-designer', defaultPort: AGENT_PORTS['dashboard-designer'] });
