import type { AgentEvent, AgentRequest, AnalysisArtifactContent, DsTeamRecordRequest, DsTeamRecordResult } from '@aether/core';
import OpenAI from 'openai';
import { FakeAgentDirectory } from '../../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../../testing/gateway-test-app';
import { scriptOf } from '../../testing/scripted-agent-client';

const API_KEY = 'sk-artifacts-key';
const OTHER_KEY = 'sk-artifacts-other';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>';
const SECRET = 'link-secret-of-a1';

describe('pictures in answers (charts kept by the DS orchestrator, served by the gateway)', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  let owner = '';

  beforeAll(async () => {
    agents = new FakeAgentDirectory();
    gateway = await startGatewayApp({ agents, config: { apiKeys: [API_KEY, OTHER_KEY] } });
    // The answer: the team's text, then its chart (as the DS orchestrator links it).
    agents.clients.orchestrator.script = (request: AgentRequest) => {
      owner = request.context.userId;
      return scriptOf(
        { type: 'token', agent: 'ds-orchestrator', content: 'Energy use: 12.5 kWh.' },
        { type: 'artifact', agent: 'ds-orchestrator', artifactId: 'a1', title: 'Energy use per day', mediaType: 'image/svg+xml', accessToken: SECRET },
      )(request, new AbortController().signal);
    };
    // The DS orchestrator's records: one picture, its owner's or its link holder's.
    agents.clients['ds-orchestrator'].script = (request: AgentRequest) => {
      const data = request.data as unknown as Extract<DsTeamRecordRequest, { action: 'get_artifact' }>;
      const artifact: AnalysisArtifactContent = { id: 'a1', reportId: 'r1', title: 'Energy use per day', mediaType: 'image/svg+xml', createdAt: '2026-12-01T00:00:00.000Z', data: Buffer.from(SVG).toString('base64') };
      const allowed = data.artifactId === 'a1' && (data.accessToken !== undefined ? data.accessToken === SECRET : request.context.userId === owner);
      const outcome: DsTeamRecordResult = allowed ? { artifact } : { notFound: data.artifactId };
      const events: AgentEvent[] = [{ type: 'result', agent: 'ds-orchestrator', data: outcome as unknown as Record<string, unknown> }];
      return scriptOf(...events)(request, new AbortController().signal);
    };
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
  });

  const imageUrl = (answer: string) => {
    const match = /!\[Energy use per day\]\((\S+)\)$/.exec(answer);
    if (!match) throw new Error(`no Markdown image at the end of: ${answer}`);
    return new URL(match[1]);
  };

  it('ends the answer (streamed or not) with the chart as a Markdown image whose link shows it without a key', async () => {
    const client = new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: API_KEY, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'Analyze my energy usage for the last 7 days' }] });
    const answer = completion.choices[0].message.content ?? '';
    expect(answer.startsWith('Energy use: 12.5 kWh.\n\n![Energy use per day](')).toBe(true);
    const url = imageUrl(answer);
    expect(`${url.origin}${url.pathname}`).toBe(`${gateway.origin}/api/v1/artifacts/a1`);
    expect(url.searchParams.get('token')).toBe(SECRET);

    let streamed = '';
    for await (const chunk of await client.chat.completions.create({ model: 'aether-offline', stream: true, messages: [{ role: 'user', content: 'Analyze my energy usage for the last 7 days' }] })) {
      streamed += chunk.choices[0]?.delta?.content ?? '';
    }
    expect(streamed).toBe(answer);

    // As a browser loads it from a chat UI: no key, the link's secret.
    const image = await fetch(url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/svg+xml');
    expect(image.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await image.text()).toBe(SVG);
  });

  it("serves the picture to its caller's key, 401 without a key or with a wrong secret, 404 to another key", async () => {
    const bare = `${gateway.origin}/api/v1/artifacts/a1`;
    const withKey = await fetch(bare, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect([withKey.status, await withKey.text()]).toEqual([200, SVG]);

    const noKey = await fetch(bare);
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { type: string } }).error.type).toBe('authentication_error');

    const wrongSecret = await fetch(`${bare}?token=guessed`);
    expect(wrongSecret.status).toBe(401);
    expect(((await wrongSecret.json()) as { error: { code: string } }).error.code).toBe('invalid_artifact_token');
    expect((await fetch(`${gateway.origin}/api/v1/artifacts/nope?token=guessed`)).status).toBe(401);

    const otherKey = await fetch(bare, { headers: { authorization: `Bearer ${OTHER_KEY}` } });
    expect(otherKey.status).toBe(404);
    expect(((await otherKey.json()) as { error: { code: string } }).error.code).toBe('artifact_not_found');
  });
});
