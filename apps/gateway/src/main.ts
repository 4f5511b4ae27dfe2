import { GATEWAY_PORT } from '@aether/core';
import { bootstrapService } from '@aether/service-host';
import { AppModule } from './app.module';

await bootstrapService(AppModule, { service: 'gateway', defaultPort: GATEWAY_PORT });
