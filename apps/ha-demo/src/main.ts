import { Logger } from '@nestjs/common';
import { createProcessLoggerFromEnv, PinoNestLogger } from '@aether/observability';
import { launchDemoHome } from './demo-home-launch';
import { readDemoHomeSettings } from './demo-home-settings';

// The bundled demo home on its own: an HA-compatible API over a deterministic house (or the house
// in HA_DEMO_FIXTURE), for running Aether (or any HA client) without a real Home Assistant.
Logger.overrideLogger(new PinoNestLogger(await createProcessLoggerFromEnv('ha-demo')));
const logger = new Logger('HaDemo');
const settings = readDemoHomeSettings();
const launched = await launchDemoHome(settings);
if (launched.kind === 'refused') {
  logger.fatal(launched.line);
  process.exit(1);
}
const { home } = launched;
logger.log(`Demo home listening at ${home.url} (WebSocket ${home.url.replace(/^http/, 'ws')}/api/websocket)${settings.fixture ? ` serving ${settings.fixture}` : ''}`);
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
