import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { HA_DEMO_TOKEN, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { verifyEnergyAnswer } from './support/energy-figures';
import { startDemoHomeApp, startMonolithGateway } from './support/demo-home';
import { openaiClient } from './support/gateway-client';

type Moment = { kind: 'event'; type: string; agent: string } | { kind: 'health'; status: number };

/**
 * Acceptance: the energy analysis (parsing and computing a month of meter history) runs in a
 * worker thread, so the gateway — which hosts every agent in monolith mode — keeps answering
 * `/api/v1/health` while an analysis runs. Checked by order of arrival, not by timing: a health
 * answer must arrive after the DS analysts started and before they finished.
 *
 * Home Assistant is the demo home in its own process, as a real HA is: the embedded demo home would
 * put HA's own work (serving the history) on the gateway's event loop too.
 */
describe('analysis off the event loop (monolith gateway, 30-day energy analysis)', () => {
  let home: StartedApp;
  let gateway: StartedApp;

  beforeAll(async () => {
    home = await startDemoHomeApp();
    gateway = await startMonolithGateway(home, { timeoutMs: 90_000 });
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.stop();
  });

  it('answers /api/v1/health while the analysis runs, and the figures still match the raw history', async () => {
    const timeline: Moment[] = [];
    const stream = await openaiClient(gateway.url).chat.completions.create(
      { model: 'aether-offline', stream: true, messages: [{ role: 'user', content: 'Analyze my energy usage for the last 30 days' }] },
      { headers: { 'X-Aether-Events': '1' } },
    );

    let streaming = true;
    // One health request after another for as long as the answer streams.
    const polling = (async () => {
      while (streaming) {
        const res = await fetch(`${gateway.url}/api/v1/health`);
        await res.arrayBuffer();
        timeline.push({ kind: 'health', status: res.status });
      }
    })();

    let answer = '';
    try {
      for await (const chunk of stream) {
        const event = (chunk as ChatCompletionChunk & { aether_event?: { type: string; agent: string } }).aether_event;
        if (event) timeline.push({ kind: 'event', type: event.type, agent: event.agent });
        answer += chunk.choices[0]?.delta.content ?? '';
      }
    } finally {
      streaming = false;
      await polling;
    }

    const started = timeline.findIndex((m) => m.kind === 'event' && m.agent === 'ds-analysts' && m.type === 'agent_start');
    const finished = timeline.findIndex((m) => m.kind === 'event' && m.agent === 'ds-analysts' && m.type === 'agent_end');
    expect(started).toBeGreaterThanOrEqual(0);
    expect(finished).toBeGreaterThan(started);
    const answeredDuring = timeline.slice(started + 1, finished).filter((m) => m.kind === 'health');
    expect(answeredDuring.length).toBeGreaterThan(0);
    expect(answeredDuring.every((m) => m.kind === 'health' && m.status === 200)).toBe(true);

    // HA keeps 10 days of history (purge_keep_days): the answer says so, and completes the 30 days
    // from hourly long-term statistics. Computed in the worker thread, the figures are still exactly
    // what HA returned: its history for the window plus its statistics for the period before.
    expect(answer).toMatch(/^Coverage: History covers only the last 10\.0 days .*not the 720 h asked for; the \d+ h before it come from hourly long-term statistics/m);
    const report = await verifyEnergyAnswer(answer, home.url, HA_DEMO_TOKEN);
    expect(report.statistics?.end).toBe(report.start);
    expect(Date.parse(report.end) - Date.parse(report.statistics?.start ?? report.start)).toBeGreaterThan(719 * 3_600_000);
    expect(Date.parse(report.end) - Date.parse(report.start)).toBeLessThanOrEqual(240 * 3_600_000);
  }, 120_000);
});
