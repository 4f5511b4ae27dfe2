import type { AgentEvent } from '@aether/core';
import { UtilityModel, type UtilityCompletion, type UtilityCompletionRequest } from '@aether/llm';
import { OPEN_WEBUI_TITLE } from '@aether/llm/testing';
import OpenAI, { APIError } from 'openai';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { InMemoryConversationStore } from '../testing/in-memory-conversation.store';
import { scriptOf } from '../testing/scripted-agent-client';
import { estimateTokens } from './chat/token-estimate';

const answer: AgentEvent[] = ['The kitchen', ' light is on.', '\n\nSou', 'rces: Home Assistant'].map((content) => ({
  type: 'token',
  agent: 'architect',
  content,
}));

class RecordingUtilityModel extends UtilityModel {
  readonly requests: UtilityCompletionRequest[] = [];
  async complete(request: UtilityCompletionRequest): Promise<UtilityCompletion> {
    this.requests.push(request);
    return { text: '{"title":"💡 Kitchen Light Status"}', finishReason: 'stop' };
  }
}

describe('OpenAI parameters are honoured or refused', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  let conversations: InMemoryConversationStore;
  let utilityModel: RecordingUtilityModel;
  let openai: OpenAI;

  beforeEach(async () => {
    agents = new FakeAgentDirectory();
    agents.clients.orchestrator.script = scriptOf(...answer);
    conversations = new InMemoryConversationStore();
    utilityModel = new RecordingUtilityModel();
    gateway = await startGatewayApp({ agents, conversations, utilityModel });
    openai = new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: 'unused-in-open-mode', maxRetries: 0 });
  });

  afterEach(() => gateway.close());

  const question = [{ role: 'user' as const, content: 'What lights are on?' }];

  async function streamed(params: Omit<OpenAI.ChatCompletionCreateParamsStreaming, 'stream' | 'model' | 'messages'>) {
    const stream = await openai.chat.completions.create({ model: 'aether-offline', messages: question, stream: true, stream_options: { include_usage: true }, ...params });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    return { text, finish, usage };
  }

  async function storedAnswer(): Promise<string | undefined> {
    const [conversation] = await conversations.list('anonymous');
    const stored = await conversations.get(conversation.id, 'anonymous');
    return stored?.messages.at(-1)?.content;
  }

  it.each([['max_tokens'], ['max_completion_tokens']])('%s cuts the answer with finish_reason length (non-stream)', async (param) => {
    const completion = await openai.chat.completions.create({ model: 'aether-offline', messages: question, [param]: 3 });
    const content = completion.choices[0].message.content ?? '';
    expect(completion.choices[0].finish_reason).toBe('length');
    expect(content).toBe('The kitchen ');
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(3);
    expect(completion.usage?.completion_tokens).toBe(estimateTokens(content));
    expect(await storedAnswer()).toBe(content);
  });

  it('max_tokens cuts a stream too, with finish_reason length and usage within it', async () => {
    const { text, finish, usage } = await streamed({ max_tokens: 4 });
    expect(text).toBe('The kitchen ligh');
    expect(finish).toBe('length');
    expect(usage?.completion_tokens).toBeLessThanOrEqual(4);
    expect(await storedAnswer()).toBe(text);
  });

  it('an answer within max_tokens ends with stop', async () => {
    const completion = await openai.chat.completions.create({ model: 'aether-offline', messages: question, max_tokens: 1000 });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.choices[0].message.content).toBe('The kitchen light is on.\n\nSources: Home Assistant');
  });

  it('stop cuts the answer before the first stop sequence (string or array)', async () => {
    const single = await openai.chat.completions.create({ model: 'aether-offline', messages: question, stop: ' is ' });
    expect(single.choices[0].message.content).toBe('The kitchen light');
    const several = await openai.chat.completions.create({ model: 'aether-offline', messages: question, stop: ['Home', '\n\nSources'] });
    expect(several.choices[0].message.content).toBe('The kitchen light is on.');
    expect(several.choices[0].finish_reason).toBe('stop');
  });

  it('stop cuts a stream where the stop sequence spans two tokens, sending none of it', async () => {
    const { text, finish } = await streamed({ stop: ['\n\nSources'] });
    expect(text).toBe('The kitchen light is on.');
    expect(finish).toBe('stop');
    expect(await storedAnswer()).toBe(text);
  });

  it.each([
    [{ n: 2 }, 'n', /one answer per request/],
    [{ logprobs: true }, 'logprobs', /no token log probabilities/],
    [{ top_logprobs: 2 }, 'top_logprobs', /log probabilities/],
    [{ tools: [{ type: 'function', function: { name: 'turn_on', parameters: {} } }] }, 'tools', /tool_calls/],
    [{ functions: [{ name: 'turn_on', parameters: {} }] }, 'functions', /tool_calls/],
    [{ tool_choice: 'required' }, 'tool_choice', /no client tools/],
    [{ modalities: ['text', 'audio'] }, 'modalities', /text only/],
    [{ audio: { voice: 'alloy', format: 'wav' } }, 'audio', /text only/],
    [{ frequency_penalty: 3 }, 'frequency_penalty', /.+/],
  ])('refuses %j with a 400 naming %s and why', async (params, param, why) => {
    const error = await openai.chat.completions.create({ model: 'aether-offline', messages: question, ...params } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 400, param, type: 'invalid_request_error' });
    expect((error as APIError).message).toMatch(why);
    expect(agents.clients.orchestrator.calls).toHaveLength(0);
  });

  it('accepts the harmless forms: n 1, logprobs false, tools []', async () => {
    const completion = await openai.chat.completions.create({
      model: 'aether-offline',
      messages: question,
      n: 1,
      logprobs: false,
      tools: [],
      tool_choice: 'none',
      modalities: ['text'],
    });
    expect(completion.choices).toHaveLength(1);
  });

  it('refuses a request without model, naming it', async () => {
    const error = await openai.chat.completions.create({ messages: question } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, param: 'model', code: 'missing_required_parameter' });
  });

  it('passes temperature, top_p, seed, the penalties, user, max_tokens, stop and response_format to the one model call of a utility request', async () => {
    const completion = await openai.chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: OPEN_WEBUI_TITLE }],
      temperature: 0.1,
      top_p: 0.5,
      seed: 42,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      user: 'alice',
      max_tokens: 50,
      stop: ['\n\n'],
      response_format: { type: 'json_object' },
    });
    expect(completion.choices[0].message.content).toBe('{"title":"💡 Kitchen Light Status"}');
    expect(utilityModel.requests).toHaveLength(1);
    expect(utilityModel.requests[0]).toMatchObject({
      model: 'aether-offline',
      temperature: 0.1,
      topP: 0.5,
      seed: 42,
      frequencyPenalty: 0.5,
      presencePenalty: -0.5,
      user: 'alice',
      maxTokens: 50,
      stop: ['\n\n'],
      responseFormat: { type: 'json_object' },
    });
  });

  it('applies max_tokens to a utility answer too (the offline model does not)', async () => {
    const completion = await openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: OPEN_WEBUI_TITLE }], max_tokens: 2 });
    expect(completion.choices[0].finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(2);
  });
});
