import { Logger } from '@nestjs/common';
import { startDemoHome } from '@aether/ha-demo';
import { readDemoHomeSettings } from './demo-home-settings';

// The bundled demo home on its own: an HA-compatible API over a deterministic house, for running
// Aether (or any HA client) without a real Home Assistant.
const logger = new Logger('HaDemo');
const settings = readDemoHomeSettings();
const home = await startDemoHome(settings);
logger.log(`Demo home listening at ${home.url} (WebSocket ${home.url.replace(/^http/, 'ws')}/api/websocket)`);
logger.log(`Point Aether at it with HA_URL=${home.url} HA_TOKEN=${home.token}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.log(`${signal} received, stopping`);
    home.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`Stopping failed: ${String(error)}`);
        process.exit(1);
      },
    );
  });
}
