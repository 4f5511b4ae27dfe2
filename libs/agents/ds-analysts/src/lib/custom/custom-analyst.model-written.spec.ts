import { readFindings, type AgentEvent } from '@aether/core';
import { createHomeAssistantClient, type HomeAssistantClient } from '@aether/home-assistant';
import { OpenAiUtilityModel } from '@aether/llm';
import { providerError, startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedReply } from '@aether/llm/testing';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import { ScriptSandbox } from '../sandbox/script-sandbox';
import { CustomAnalyst } from './custom-analyst.service';
import { ScriptWriter } from './script-writer';

// A pinned clock freezes the house: the window is the 30 days before it.
const NOW = Date.parse('2026-11-20T21:30:00Z');
const QUESTION = 'On which day of the week do we import the most electricity?';
const GRID = 'sensor.mains_energy';

/** What a model writes first: a plausible script that reads a column the export does not have. */
const BROKEN_SCRIPT = String.raw`
import pandas as pd
df = pd.read_csv('/input/statistics.csv')
print(df['kwh'].sum())
`;

/** The corrected script: mean daily import by local weekday, the busiest day as a finding, and a chart. */
const WEEKDAY_SCRIPT = String.raw`
import json
import pandas as pd
meta = json.load(open('/input/meta.json'))
df = pd.read_csv('/input/statistics.csv')
df['start'] = pd.to_datetime(df['start'], utc=True).dt.tz_convert(meta['window']['time_zone'])
df['weekday'] = df['start'].dt.day_name()
by_day = df.groupby('weekday')['change'].mean().sort_values(ascending=False)
top, kwh = by_day.index[0], float(by_day.iloc[0])
summary = [f"{day}: {value:.3f} kWh a day on average" for day, value in by_day.items()]
findings = [{
    'specialist': 'custom', 'type': 'insight',
    'title': f'Most imported on {top}s',
    'description': f'{top}s average {kwh:.3f} kWh from the grid over the window.',
    'confidence': 0.8, 'entities': ['${GRID}'],
    'evidence': {'weekday': top, 'meanKwh': round(kwh, 3), 'days': int(len(df))},
}]
json.dump({'summary': summary, 'findings': findings}, open('/output/findings.json', 'w'))
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
by_day.plot.bar(ax=ax)
fig.savefig('/output/weekdays.png')
`;

const answer = (script: string, ids = [GRID]) =>
  `I'll read the daily grid import.\n\`\`\`json\n${JSON.stringify({ title: 'grid import by day of the week', statistic_ids: ids, period: 'day' })}\n\`\`\`\n\`\`\`python\n${script}\`\`\`\n`;

describe('the custom analysis with a script written by the model (demo home, sandbox, an OpenAI-compatible model on loopback)', () => {
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  let sandbox: ScriptSandbox | undefined;
  let server: FakeOpenAiServer;
  let replies: ScriptedReply[] = [];

  beforeAll(async () => {
    demo = await startDemoHome({ now: () => NOW });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 30_000 });
    sandbox = await ScriptSandbox.detect('auto');
    if (!sandbox && process.env['CI']) throw new Error('no sandbox runtime on this CI machine: .ci/run installs runsc and bubblewrap');
    // A strict server: every request the analyst sends must be one real providers accept.
    server = await startFakeOpenAiServer(() => replies.shift() ?? providerError(500, 'no reply scripted'), { validate: true });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await ha?.close();
    await demo?.stop();
  });
  beforeEach(() => server.requests.splice(0));

  const analyst = (box = sandbox) =>
    new CustomAnalyst(ha, async () => box, {
      scriptWriter: (requested) =>
        new ScriptWriter(new OpenAiUtilityModel({ provider: 'openai-compatible', baseUrl: server.baseUrl, defaultModel: 'analyst-model', agentModels: {} }), requested ?? 'analyst-model'),
      now: () => new Date(NOW),
    });
  const run = async (query: string, model?: string) => {
    const events: AgentEvent[] = [];
    for await (const event of analyst().analyse({ query, model }, new AbortController().signal)) events.push(event);
    return events;
  };
  const reportOf = (events: AgentEvent[]) => events.flatMap((e) => (e.type === 'token' ? [e.content] : [])).join('');
  const userTurns = (request: RecordedRequest) => request.body.messages.filter((m) => m.role === 'user').map((m) => String(m.content));

  it('has the model write the script, sends its error back once, and reports the corrected run: findings that match an independent computation, and its chart', async () => {
    if (!sandbox) return;
    replies = [{ text: answer(BROKEN_SCRIPT) }, { text: answer(WEEKDAY_SCRIPT) }];
    const events = await run(QUESTION, 'my-analyst');

    // The model saw the question, the window, the home's statistics and the export's contract; then the failure.
    const [first, second] = server.requests;
    expect(first.body.model).toBe('my-analyst');
    expect(String(first.body.messages[0].content)).toContain('/input/statistics.csv');
    expect(userTurns(first)[0]).toContain(QUESTION);
    expect(userTurns(first)[0]).toMatch(new RegExp(`- ${GRID} — .+, kWh, meter`));
    expect(userTurns(first)[0]).toMatch(/- sensor\.outdoor\S* — .+, °C, measurement/);
    expect(userTurns(second).at(-1)).toMatch(/KeyError: 'kwh'/);

    const report = reportOf(events);
    expect(report).toContain(`a Python script written for this question by my-analyst and run in the ${sandbox.runtime} sandbox`);
    const result = events.find((e) => e.type === 'result');
    expect(result).toMatchObject({ data: { specialist: 'custom', model: 'my-analyst', statisticIds: [GRID], period: 'day', script: WEEKDAY_SCRIPT } });
    const [finding] = readFindings(result?.type === 'result' ? result.data['findings'] : undefined, 'ds-analysts', 'test');

    // The same busiest weekday and mean, computed here from HA's daily statistics in the home's time zone.
    const { time_zone } = await ha.getConfig();
    const statistics = await ha.getStatisticsDuringPeriod({ start: new Date(NOW - 720 * 3_600_000), end: new Date(NOW), statisticIds: [GRID], period: 'day', types: ['change'] });
    const days = (statistics[GRID] ?? []).filter((row) => row.start >= NOW - 720 * 3_600_000 && row.end <= NOW);
    const byWeekday = new Map<string, number[]>();
    for (const row of days) {
      const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: time_zone }).format(row.start);
      byWeekday.set(weekday, [...(byWeekday.get(weekday) ?? []), row.change as number]);
    }
    const means = [...byWeekday].map(([weekday, values]) => [weekday, values.reduce((a, b) => a + b, 0) / values.length] as const).sort((a, b) => b[1] - a[1]);
    expect(finding).toMatchObject({ specialist: 'custom', title: `Most imported on ${means[0][0]}s`, entities: [GRID] });
    expect(finding.evidence['meanKwh']).toBeCloseTo(means[0][1], 3);
    expect(finding.evidence['days']).toBe(days.length);

    expect(events.find((e) => e.type === 'image')).toMatchObject({ mediaType: 'image/png', title: 'grid import by day of the week' });
  }, 90_000);

  it('reports a model that twice answers with no usable script as a failed analysis, with the reason, having run nothing', async () => {
    if (!sandbox) return;
    replies = [{ text: answer(WEEKDAY_SCRIPT, ['sensor.not_a_meter']) }, { text: 'Sorry, I cannot help with that.' }];
    const events = await run(QUESTION);
    expect(server.requests).toHaveLength(2);
    expect(userTurns(server.requests[1]).at(-1)).toContain("not among the home's statistics: sensor.not_a_meter");
    expect(reportOf(events)).toContain('analyst-model wrote no usable script for the question (its answer cannot be used: no json block');
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { specialist: 'custom', findings: [], failed: expect.any(String) } });
    expect(events.some((e) => e.type === 'status' && e.content.includes('running the script'))).toBe(false);
  }, 30_000);

  it("fails as upstream_error, in the provider's words, when the model refuses the call", async () => {
    if (!sandbox) return;
    replies = [providerError(400, 'This model does not exist', { type: 'invalid_request_error', code: 'model_not_found' })];
    await expect(run(QUESTION)).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringContaining('This model does not exist') });
  });

  it('leaves the templated questions to their built-in script: the model is not asked', async () => {
    if (!sandbox) return;
    const events = await run('Does the heat pump run more on cold days?');
    expect(server.requests).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { template: 'temperature_response' } });
  }, 60_000);
});
