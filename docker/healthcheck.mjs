// The container health check of every Aether image (slim images have no curl): GET this service's
// readiness endpoint on its own port. Exit 0 = healthy.
//   gateway            /api/v1/health  (200 while it serves; agents it cannot reach show as degraded)
//   ha-demo            /api/           (HA's API root, with the demo's token)
//   the seven agents   /ready          (503 until the agent and its database can take work)
const service = process.env.AETHER_SERVICE ?? '';
const port = process.env.PORT ?? '8000';
const path = service === 'gateway' ? '/api/v1/health' : service === 'ha-demo' ? '/api/' : '/ready';
const headers = service === 'ha-demo' ? { authorization: `Bearer ${process.env.HA_DEMO_TOKEN || 'aether-demo-token'}` } : {};
try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers, signal: AbortSignal.timeout(4_000) });
  if (!response.ok) console.error(`${service} ${path}: HTTP ${response.status}`);
  process.exitCode = response.ok ? 0 : 1;
} catch (error) {
  console.error(`${service} ${path}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
