import { GATEWAY_PORT } from '@aether/core';
import { enableGatewayCors } from '@aether/gateway';
import { bootstrapService } from '@aether/service-host';
import { AppModule } from './app.module';

await bootstrapService(AppModule, {
  service: 'gateway',
  defaultPort: GATEWAY_PORT,
  configure: (app, config) => enableGatewayCors(app, config.corsOrigins),
});
