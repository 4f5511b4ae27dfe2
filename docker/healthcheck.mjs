// The container health check of every Aether image (slim images have no curl). Exit 0 = healthy.
//   node healthcheck.mjs          liveness (the image's HEALTHCHECK: a restart only helps a dead process)
//     gateway /api/v1/health, the seven agents /health — neither touches a dependency
//   node healthcheck.mjs ready    readiness (compose: `depends_on: service_healthy` waits for traffic-ready)
//     gateway /api/v1/ready, the seven agents /ready — 503 while a dependency is down
//   ha-demo /api/ (HA's API root, with the demo's token) either way
const service = process.env.AETHER_SERVICE ?? '';
const port = process.env.PORT ?? '8000';
const ready = process.argv[2] === 'ready';
const path = service === 'ha-demo' ? '/api/' : service === 'gateway' ? (ready ? '/api/v1/ready' : '/api/v1/health') : ready ? '/ready' : '/health';
const headers = service === 'ha-demo' ? { authorization: `Bearer ${process.env.HA_DEMO_TOKEN || 'aether-demo-token'}` } : {};
try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers, signal: AbortSignal.timeout(4_000) });
  if (!response.ok) console.error(`${service} ${path}: HTTP ${response.status}`);
  process.exitCode = response.ok ? 0 : 1;
} catch (error) {
  console.error(`${service} ${path}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
