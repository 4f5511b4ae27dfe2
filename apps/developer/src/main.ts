import { AGENT_PORTS } from '@aether/core';
import { bootstrapService } from '@aether/service-host';
import { AppModule } from './app.module';

await bootstrapService(AppModule, { service: 'developer', defaultPort: AGENT_PORTS['developer'] });
