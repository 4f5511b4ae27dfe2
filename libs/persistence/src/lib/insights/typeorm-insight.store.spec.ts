import type { AnalysisReportDraft, Finding } from '@aether/core';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../../testing';
import { TypeOrmInsightStore } from './typeorm-insight.store';

const porchHabit: Finding = {
  specialist: 'behavioral',
  type: 'recommendation',
  title: 'Porch Light is switched on by hand around 19:06',
  description: 'On 23 of 30 evenings.',
  confidence: 0.77,
  entities: ['light.porch'],
  evidence: { occurrences: 23, days: 30, meanTime: '19:06' },
  automationSuggestion: {
    alias: 'Porch light at 19:06',
    description: 'Turns the porch light on at 19:06.',
    triggers: [{ trigger: 'time', at: '19:06:00' }],
    actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }],
  },
};
const garageOutage: Finding = {
  specialist: 'diagnostic',
  type: 'concern',
  title: 'Garage Sensor drops out every night',
  description: '02:31–04:07 on 7 of the last 7 nights.',
  confidence: 0.9,
  entities: ['sensor.garage_temperature'],
  evidence: { nights: 7 },
};

function draft(question: string, findings: Finding[], images: AnalysisReportDraft['images'] = []): AnalysisReportDraft {
  return {
    conversationId: 'c-1',
    question,
    window: 'the last 30 days',
    strategy: 'parallel',
    depth: 'standard',
    specialists: [
      { specialist: 'behavioral', status: 'completed', findings: findings.filter((f) => f.specialist === 'behavioral').length },
      { specialist: 'diagnostic', status: 'completed', findings: findings.filter((f) => f.specialist === 'diagnostic').length },
    ],
    summary: '**Data Science Team Report** …',
    consensus: '2 specialists reported.',
    conflicts: [],
    recommendations: ['Automate the porch light.'],
    findings,
    images,
  };
}

describe.each(testDatabaseKinds())('TypeOrmInsightStore on %s', (kind) => {
  let db: TestDatabase;
  let store: TypeOrmInsightStore;
  const alice = { userId: 'alice', conversationId: 'c-1' };

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    store = new TypeOrmInsightStore(db.dataSource);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('keeps a team run as a report and each finding as a new insight, exactly as found, for its caller only', async () => {
    const { report, insights } = await store.saveReport(draft('What could I automate?', [porchHabit, garageOutage]), alice);
    expect(report).toMatchObject({ question: 'What could I automate?', window: 'the last 30 days', recommendations: ['Automate the porch light.'], conversationId: 'c-1' });
    expect(insights).toEqual([
      expect.objectContaining({ ...porchHabit, status: 'new', reportId: report.id, conversationId: 'c-1' }),
      expect.objectContaining({ ...garageOutage, status: 'new', reportId: report.id }),
    ]);
    expect(insights[1]).not.toHaveProperty('automationSuggestion');
    expect(report.insightIds).toEqual(insights.map((insight) => insight.id));
    expect(await store.getReport(report.id, 'alice')).toEqual(report);
    expect(await store.getInsight(insights[0].id, 'alice')).toEqual(insights[0]);

    expect(await store.getReport(report.id, 'bob')).toBeUndefined();
    expect(await store.getInsight(insights[0].id, 'bob')).toBeUndefined();
    expect(await store.listInsights('bob')).toEqual([]);
    expect(await store.listReports('bob')).toEqual([]);
    expect(await store.getInsight('not-a-uuid', 'alice')).toBeUndefined();
  });

  it('lists the newest report first, its insights in report order, and filters by status, type, specialist and conversation', async () => {
    const first = await store.saveReport(draft('first', [garageOutage]), { userId: 'carol', conversationId: 'c-a' });
    const second = await store.saveReport(draft('second', [porchHabit, garageOutage]), { userId: 'carol', conversationId: 'c-b' });
    expect((await store.listReports('carol')).map((r) => r.question)).toEqual(['second', 'first']);
    expect((await store.listInsights('carol')).map((i) => i.id)).toEqual([...second.insights, ...first.insights].map((i) => i.id));
    expect((await store.listInsights('carol', { type: 'concern' })).map((i) => i.reportId)).toEqual([second.report.id, first.report.id]);
    expect((await store.listInsights('carol', { specialist: 'behavioral' })).map((i) => i.title)).toEqual([porchHabit.title]);
    expect((await store.listInsights('carol', { conversationId: 'c-a' })).map((i) => i.id)).toEqual(first.insights.map((i) => i.id));
    expect(await store.listInsights('carol', { limit: 1 })).toHaveLength(1);
    expect((await store.listReports('carol', { conversationId: 'c-a' })).map((r) => r.id)).toEqual([first.report.id]);
  });

  it('records a person dismissing an insight; another caller cannot', async () => {
    const { insights } = await store.saveReport(draft('dismiss', [garageOutage]), { userId: 'dave', conversationId: 'c-d' });
    expect(await store.setInsightStatus(insights[0].id, 'erin', 'dismissed')).toBeUndefined();
    const dismissed = await store.setInsightStatus(insights[0].id, 'dave', 'dismissed');
    expect(dismissed).toMatchObject({ id: insights[0].id, status: 'dismissed' });
    expect(Date.parse(dismissed!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(insights[0].updatedAt));
    expect((await store.listInsights('dave', { status: 'new' })).map((i) => i.id)).not.toContain(insights[0].id);
    expect((await store.listInsights('dave', { status: 'dismissed' })).map((i) => i.id)).toEqual([insights[0].id]);
  });

  it('a report without findings is kept too (the run happened)', async () => {
    const { report, insights } = await store.saveReport(draft('nothing to find', []), { userId: 'frank', conversationId: 'c-f' });
    expect(insights).toEqual([]);
    expect(await store.getReport(report.id, 'frank')).toMatchObject({ insightIds: [] });
  });

  it("keeps a run's pictures byte for byte, for its caller or whoever holds the link's secret, and no one else", async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const { report, artifacts } = await store.saveReport(
      draft('charts', [], [
        { title: 'Daily energy use', mediaType: 'image/svg+xml', data: Buffer.from(svg).toString('base64') },
        { title: 'A PNG', mediaType: 'image/png', data: png.toString('base64') },
      ]),
      { userId: 'grace', conversationId: 'c-g' },
    );
    expect(artifacts.map((a) => [a.title, a.mediaType, a.reportId])).toEqual([
      ['Daily energy use', 'image/svg+xml', report.id],
      ['A PNG', 'image/png', report.id],
    ]);
    expect(new Set(artifacts.map((a) => a.accessToken)).size).toBe(2);
    expect(report.artifacts).toEqual(artifacts.map(({ id, title, mediaType }) => ({ id, title, mediaType })));
    expect((await store.getReport(report.id, 'grace'))?.artifacts).toEqual(report.artifacts);

    const [chart, picture] = artifacts;
    const own = await store.getArtifact(chart.id, { userId: 'grace' });
    expect(Buffer.from(own?.data ?? '', 'base64').toString()).toBe(svg);
    expect(Buffer.from((await store.getArtifact(picture.id, { accessToken: picture.accessToken }))?.data ?? '', 'base64')).toEqual(png);
    expect(await store.getArtifact(chart.id, { userId: 'mallory' })).toBeUndefined();
    expect(await store.getArtifact(chart.id, { accessToken: picture.accessToken })).toBeUndefined();
    expect(await store.getArtifact(chart.id, { accessToken: '' })).toBeUndefined();
    expect(await store.getArtifact('not-a-uuid', { userId: 'grace' })).toBeUndefined();
  });
});
