import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MetricsModule } from './metrics.module';
import { MetricsRegistry } from './metrics.registry';

/** Released by the test: a request that stays in flight until then. */
let releaseHeld: () => void = () => undefined;

@Controller('things')
class ThingsController {
  @Get('held')
  async held() {
    await new Promise<void>((resolve) => (releaseHeld = resolve));
    return { held: true };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return { id };
  }
}

describe('MetricsModule', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MetricsModule.forRoot({ service: 'test-svc' })],
      controllers: [ThingsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app.close());

  it('counts requests by route template and exposes them in the Prometheus format', async () => {
    await fetch(`${base}/things/1`);
    await fetch(`${base}/things/2`);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{method="GET",handler="\/things\/:id",status="200",service="test-svc"\} 2/);
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toContain('http_requests_in_progress');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('counts a request in progress while it is handled, and neither a scrape nor a probe as one', async () => {
    const inProgress = async () => Number(/^http_requests_in_progress\{method="GET",service="test-svc"\} (\d+)$/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? 0);
    expect(await inProgress()).toBe(0);
    const held = fetch(`${base}/things/held`);
    // The scrape after the held request has reached its handler sees it.
    while ((await inProgress()) === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(await inProgress()).toBe(1);
    releaseHeld();
    expect((await held).status).toBe(200);
    expect(await inProgress()).toBe(0);
  });

  it('returns the same metric when asked twice for a custom one', () => {
    const metrics = app.get(MetricsRegistry);
    expect(metrics.counter('aether_test_total', 'x')).toBe(metrics.counter('aether_test_total', 'x'));
  });
});

describe('MetricsRegistry helpers', () => {
  it("makes a histogram with prom-client's default buckets when none are given, and returns the same metric for the same name", async () => {
    const { MetricsRegistry } = await import('./metrics.registry');
    const registry = new MetricsRegistry('test');
    const histogram = registry.histogram('aether_test_seconds', 'A test histogram', ['kind']);
    histogram.observe({ kind: 'a' }, 0.2);
    expect(registry.histogram('aether_test_seconds', 'A test histogram', ['kind'])).toBe(histogram);
    expect(await registry.registry.metrics()).toContain('aether_test_seconds_bucket{le="0.25",service="test",kind="a"} 1');
  });
});
