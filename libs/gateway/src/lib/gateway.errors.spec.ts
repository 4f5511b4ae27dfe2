import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { AGENT_NAMES, AgentError } from '@aether/core';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { FakeLlmProfile } from '../testing/fake-llm-profile';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { failWith, scriptOf } from '../testing/scripted-agent-client';

const API_KEY = 'sk-errors';

describe('gateway errors use the OpenAI envelope', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;

  beforeAll(async () => {
    agents = new FakeAgentDirectory();
    gateway = await startGatewayApp({
      agents,
      models: new FakeLlmProfile(['aether-offline', 'openai/gpt-4o-mini']),
      config: { apiKeys: [API_KEY] },
    });
  });

  afterAll(() => gateway.close());

  async function post(body: string | object, path = '/api/v1/chat/completions') {
    const response = await fetch(`${gateway.origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { error: Record<string, unknown> } };
  }

  const hi = [{ role: 'user', content: 'hi' }];

  it('rejects malformed JSON with 400', async () => {
    const { status, body } = await post('{"messages": [');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json', param: null });
    expect(body.error.message).toMatch(/could not parse the JSON body/);
  });

  it('rejects a missing messages field, naming it', async () => {
    const { status, body } = await post({ model: 'aether-offline' });
    expect(status).toBe(400);
    expect(body.error).toEqual({
      message: "Missing required parameter: 'messages'.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'missing_required_parameter',
    });
  });

  it.each([
    [{ model: 'aether-offline', messages: hi, temperature: 'hot' }, 'temperature'],
    [{ model: 'aether-offline', messages: hi, temperature: 3 }, 'temperature'],
    [{ model: 'aether-offline', messages: hi, stream: 'yes' }, 'stream'],
    [{ model: 'aether-offline', messages: 'hi' }, 'messages'],
    [{ model: 'aether-offline', messages: [] }, 'messages'],
    [{ model: 'aether-offline', messages: [{ role: 'robot', content: 'hi' }] }, 'messages[0].role'],
    [{ model: 'aether-offline', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content'],
    [{ model: 'aether-offline', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }, 'messages[0].content'],
    [{ model: 'aether-offline', messages: hi, max_tokens: -1 }, 'max_tokens'],
    [{ model: 'aether-offline', messages: hi, agent: 7 }, 'agent'],
    [{ model: 'aether-offline', messages: hi, conversation_id: '' }, 'conversation_id'],
    [{ model: 'aether-offline', messages: [{ role: 'system', content: 'only a system prompt' }] }, 'messages'],
  ])('rejects %j with 400 naming %s', async (request, param) => {
    const { status, body } = await post(request);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(typeof body.error.message).toBe('string');
  });

  it('rejects a body that is not a JSON object', async () => {
    const { status, body } = await post([{ role: 'user', content: 'hi' }]);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_body' });
  });

  it('ignores unknown extra fields, as OpenAI does', async () => {
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'fine' });
    const response = await post({ model: 'aether-offline', messages: hi, n: 1, top_p: 0.5, tools: [], seed: 7, frequency_penalty: 0 });
    expect(response.status).toBe(200);
  });

  it('rejects an unknown agent with 400 listing the valid names, without falling back', async () => {
    const callsBefore = AGENT_NAMES.map((name) => agents.clients[name].calls.length);
    const { status, body } = await post({ model: 'aether-offline', messages: hi, agent: 'knowledge' });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: 'agent', code: 'unknown_agent' });
    for (const name of ['auto', ...AGENT_NAMES]) expect(body.error.message).toContain(name);
    expect(AGENT_NAMES.map((name) => agents.clients[name].calls.length)).toEqual(callsBefore);
  });

  it('runs the dashboard-designer by name now that it offers dashboards', async () => {
    agents.clients['dashboard-designer'].script = scriptOf({ type: 'token', agent: 'dashboard-designer', content: 'Which dashboard should I design?' });
    const before = agents.clients['dashboard-designer'].calls.length;
    const { status } = await post({ model: 'aether-offline', messages: hi, agent: 'dashboard-designer' });
    expect(status).toBe(200);
    expect(agents.clients['dashboard-designer'].calls.length).toBe(before + 1);
  });

  it('answers an unknown model with 404 model_not_found listing the valid ids', async () => {
    const { status, body } = await post({ model: 'gpt-5-turbo', messages: hi });
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: 'model', code: 'model_not_found' });
    expect(body.error.message).toContain('aether-offline');
    expect(body.error.message).toContain('openai/gpt-4o-mini');

    const retrieve = await fetch(`${gateway.origin}/v1/models/gpt-5-turbo`, { headers: { 'x-api-key': API_KEY } });
    expect(retrieve.status).toBe(404);
    const slashed = await fetch(`${gateway.origin}/v1/models/openai/gpt-4o-mini`, { headers: { 'x-api-key': API_KEY } });
    expect(await slashed.json()).toMatchObject({ id: 'openai/gpt-4o-mini', object: 'model' });
  });

  it('rejects a 2 MiB body with 413', async () => {
    const { status, body } = await post({ model: 'aether-offline', messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] });
    expect(status).toBe(413);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'request_too_large' });
  });

  it('answers an oversize Content-Length with 413 at once, without waiting for the body', async () => {
    const url = new URL('/v1/chat/completions', gateway.origin);
    const started = Date.now();
    const { status, headers, body } = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '2000000', 'x-api-key': API_KEY },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
          req.destroy(); // the announced body never comes
        });
      });
      req.on('error', reject);
      // 12 bytes of the announced 2 000 000, and the request is never ended.
      req.write('{"model":"x"');
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(status).toBe(413);
    expect(headers.connection).not.toBe('close');
    expect(JSON.parse(body).error).toMatchObject({ type: 'invalid_request_error', code: 'request_too_large' });
  });

  it('keeps receiving (and throwing away) the body of a client that sends it all before reading: no cut upload, the connection lives on', async () => {
    const socket = connect(Number(new URL(gateway.origin).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const failed = new Promise<Error>((resolve) => socket.once('error', resolve));
    const until = async (text: string) => {
      while (!received.includes(text)) await Promise.race([new Promise((resolve) => socket.once('data', resolve)), failed.then((error) => Promise.reject(error))]);
    };
    const oversize = 2 * 1024 * 1024;
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-api-key: ${API_KEY}\r\nContent-Length: ${oversize}\r\n\r\n`);
    await until('request_too_large');
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    // The rest of the body, in pieces, after the answer: the server still reads it.
    for (let sent = 0; sent < oversize; sent += 64 * 1024) {
      await new Promise<void>((resolve, reject) => socket.write('x'.repeat(Math.min(64 * 1024, oversize - sent)), (error) => (error ? reject(error) : resolve())));
    }
    received = '';
    socket.write(`GET /v1/models HTTP/1.1\r\nHost: x\r\nx-api-key: ${API_KEY}\r\n\r\n`);
    await until('aether-offline');
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();
  });

  it('closes the connection after refusing a declared body far over the limit', async () => {
    const { status, connection } = await new Promise<{ status: number; connection?: string }>((resolve, reject) => {
      const req = httpRequest(new URL('/v1/chat/completions', gateway.origin), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024), 'x-api-key': API_KEY },
      });
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        req.destroy();
      });
      req.on('error', reject);
      req.write('{');
    });
    expect(status).toBe(413);
    expect(connection).toBe('close');
  });

  it('answers unknown routes with a 404 envelope', async () => {
    for (const path of ['/api/v1/nope', '/v1/chat/complete', '/nothing-here']) {
      const response = await fetch(`${gateway.origin}${path}`, { headers: { 'x-api-key': API_KEY } });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { message: `Invalid URL (GET ${path})`, type: 'invalid_request_error', param: null, code: 'unknown_url' },
      });
    }
  });

  it.each([
    ['invalid_input', 400, 'invalid_request_error'],
    ['not_implemented', 400, 'invalid_request_error'],
    ['upstream_error', 502, 'server_error'],
    ['agent_unavailable', 503, 'server_error'],
    ['internal_error', 500, 'server_error'],
  ] as const)('maps AgentError %s to %i', async (code, status, type) => {
    agents.clients.orchestrator.script = failWith(new AgentError(code, `failed with ${code}`, 'orchestrator'));
    const response = await post({ model: 'aether-offline', messages: hi });
    expect(response).toEqual({ status, body: { error: { message: `failed with ${code}`, type, param: null, code } } });
  });

  it('hides the details of unexpected errors behind a 500', async () => {
    agents.clients.orchestrator.script = failWith(new TypeError('secret internals: cannot read x of undefined'));
    const response = await post({ model: 'aether-offline', messages: hi });
    expect(response.status).toBe(500);
    expect(response.body.error).toMatchObject({ type: 'server_error', code: 'internal_error' });
    expect(JSON.stringify(response.body)).not.toContain('secret internals');
  });
});
