/**
 * A2A hop cost: the same agent called in-process (monolith: the A2A request handler driven
 * directly) and over loopback HTTP (distributed: the SDK's JSON-RPC/SSE client), interleaved in
 * one run so machine noise hits both alike. Budget: the hop adds ≤ 0.5 ms p50 and never holds tokens.
 *
 *   node tools/bench/run.mjs a2a-hop [rounds]     (part of `npm run bench`, which runs the whole suite)
 *
 * With BENCH_JSON=<file> it also writes its figures there for the suite's table.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { A2aServerModule, AetherAgent, HttpAgentClient } from '@aether/a2a';
import { AgentCallMetrics, AgentDirectory, AgentRuntimeModule } from '@aether/agent-runtime';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { type Agent, type AgentClient, type AgentEvent, type AgentRequest } from '@aether/core';
import { MetricsModule, MetricsRegistry } from '@aether/observability';

const TOKEN = 'bench-token';
const rounds = Number(process.argv[2] ?? 2000);

/** Answers with `data.tokens` token events, doing no other work. */
@AetherAgent({ name: 'librarian', card: { name: 'librarian', description: 'echo', skills: [] } })
class EchoAgent implements Agent {
  readonly name = 'librarian' as const;
  async *run(request: AgentRequest): AsyncGenerator<AgentEvent> {
    const tokens = Number(request.data?.['tokens'] ?? 1);
    for (let i = 0; i < tokens; i++) yield { type: 'token', agent: this.name, content: `t${i} ` };
  }
}

@Module({
  providers: [EchoAgent],
})
class EchoAgentModule {}

@Module({
  imports: [
    AetherConfigModule.forRoot(loadConfig({ AETHER_SERVICE_TOKEN: TOKEN, NODE_ENV: 'test' })),
    MetricsModule.forRoot({ service: 'bench' }),
    EchoAgentModule,
    AgentRuntimeModule.forRoot({ self: 'librarian' }),
    A2aServerModule.forAgent('librarian'),
  ],
})
class BenchModule {}

function request(tokens: number): AgentRequest {
  return { message: 'bench', history: [], data: { tokens }, context: { conversationId: 'bench', userId: 'bench' } };
}

interface Sample {
  total: number;
  firstToken: number;
}

async function timeCall(client: AgentClient, tokens: number): Promise<Sample> {
  const start = performance.now();
  let firstToken = NaN;
  for await (const event of client.stream(request(tokens))) {
    if (event.type === 'token' && Number.isNaN(firstToken)) firstToken = performance.now() - start;
  }
  return { total: performance.now() - start, firstToken };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const app: INestApplication = await NestFactory.create(BenchModule, { bodyParser: false, logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const inProcess = app.get(AgentDirectory).client('librarian');
  // Metered like every client the directory hands out (the in-process one above is), so the two differ by the transport only.
  const overHttp = new AgentCallMetrics(app.get(MetricsRegistry)).metered(new HttpAgentClient({ agent: 'librarian', baseUrl: url, serviceToken: TOKEN }), 'http');

  console.log(`A2A hop benchmark: ${rounds} interleaved calls per cell, Node ${process.version}, loopback\n`);
  console.log('tokens | in-process p50 / p95 ms | HTTP p50 / p95 ms | hop p50 ms | first token in-proc / HTTP p50 ms | ratio p50');
  let worstHop = 0;
  const figures: Array<Record<string, number>> = [];
  for (const tokens of [1, 20]) {
    // As many warm-up calls as measured ones: with 200, the JIT had not settled and the hop read ~10 % high.
    for (let i = 0; i < rounds; i++) {
      await timeCall(inProcess, tokens);
      await timeCall(overHttp, tokens);
    }
    const local: Sample[] = [];
    const remote: Sample[] = [];
    for (let i = 0; i < rounds; i++) {
      local.push(await timeCall(inProcess, tokens));
      remote.push(await timeCall(overHttp, tokens));
    }
    const l50 = percentile(local.map((s) => s.total), 50);
    const r50 = percentile(remote.map((s) => s.total), 50);
    const hop = r50 - l50;
    worstHop = Math.max(worstHop, hop);
    figures.push({
      tokens,
      rounds,
      inProcessP50: l50,
      httpP50: r50,
      hopP50: hop,
      inProcessP95: percentile(local.map((s) => s.total), 95),
      httpP95: percentile(remote.map((s) => s.total), 95),
      firstTokenInProcessP50: percentile(local.map((s) => s.firstToken), 50),
      firstTokenHttpP50: percentile(remote.map((s) => s.firstToken), 50),
    });
    console.log(
      [
        String(tokens).padStart(6),
        `${l50.toFixed(3)} / ${percentile(local.map((s) => s.total), 95).toFixed(3)}`.padStart(23),
        `${r50.toFixed(3)} / ${percentile(remote.map((s) => s.total), 95).toFixed(3)}`.padStart(17),
        hop.toFixed(3).padStart(10),
        `${percentile(local.map((s) => s.firstToken), 50).toFixed(3)} / ${percentile(remote.map((s) => s.firstToken), 50).toFixed(3)}`.padStart(33),
        `${(r50 / l50).toFixed(1)}x`.padStart(9),
      ].join(' | '),
    );
  }
  console.log(`\nbudget: hop adds ≤ 0.5 ms p50 → worst ${worstHop.toFixed(3)} ms: ${worstHop <= 0.5 ? 'within budget' : 'OVER BUDGET'}`);
  if (process.env['BENCH_JSON']) writeFileSync(process.env['BENCH_JSON'], JSON.stringify(figures, null, 2));
  await app.close();
}

await main();
