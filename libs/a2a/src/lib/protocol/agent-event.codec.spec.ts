import { Role, StreamResponse, TaskState, type Message } from '@a2a-js/sdk';
import { AgentError, type AgentEvent, type ProposalEvent } from '@aether/core';
import { AgentEventDecoder, encodeAgentEvent, encodeInputRequired, encodeTerminalStatus, encodeTokenBatch, errorEventFrom } from './agent-event.codec';

/** Sends a stream response through the real JSON wire form, as the HTTP hop does. */
function overTheWire(response: StreamResponse): StreamResponse {
  return StreamResponse.fromJSON(JSON.parse(JSON.stringify(StreamResponse.toJSON(response))));
}

function artifactResponse(event: AgentEvent, first: boolean): StreamResponse {
  return { payload: { $case: 'artifactUpdate', value: encodeAgentEvent(event, 'architect', 't-1', 'c-1', first) } };
}

describe('agent event codec', () => {
  const produced: AgentEvent[] = [
    { type: 'agent_start', agent: 'architect', content: 'Thinking' },
    { type: 'token', agent: 'architect', content: 'Your ' },
    { type: 'delegation', agent: 'architect', target: 'ds-orchestrator', content: 'energy analysis' },
    // Events relayed from agents further down keep their origin.
    { type: 'tool_start', agent: 'ds-analysts', tool: 'get_history', args: '{"hours":24}' },
    { type: 'token', agent: 'ds-orchestrator', content: 'energy ' },
    { type: 'result', agent: 'ds-analysts', data: { kwh: 12.5, peaks: [18, 19] } },
    { type: 'token', agent: 'architect', content: 'report' },
    { type: 'agent_end', agent: 'architect' },
  ];

  it.each([
    ['in-process objects', (r: StreamResponse) => r],
    ['the JSON wire', overTheWire],
  ])('gives back a batch of tokens (one artifact chunk) as the same tokens, origins kept, through %s', (_label, hop) => {
    const tokens = [
      { type: 'token', agent: 'architect', content: 'Your ' },
      { type: 'token', agent: 'ds-analysts', content: 'energy ' },
      { type: 'token', agent: 'architect', content: 'report' },
    ] as const;
    const update = encodeTokenBatch(tokens, 'architect', 't-1', 'c-1', true);
    expect(update.append).toBe(false);
    expect(update.artifact!.parts).toHaveLength(3);
    const decoder = new AgentEventDecoder('architect');
    expect(decoder.decode(hop({ payload: { $case: 'artifactUpdate', value: update } }))).toEqual(tokens);
    expect(encodeTokenBatch(tokens, 'architect', 't-1', 'c-1', false).append).toBe(true);
  });

  it.each([
    ['in-process objects', (r: StreamResponse) => r],
    ['the JSON wire', overTheWire],
  ])('round-trips every event unchanged through %s', (_label, hop) => {
    const decoder = new AgentEventDecoder('architect');
    const seen = { token: false, other: false };
    const decoded = produced.flatMap((event) => {
      const key = event.type === 'token' ? 'token' : 'other';
      const first = !seen[key];
      seen[key] = true;
      return [...decoder.decode(hop(artifactResponse(event, first)))];
    });

    expect(decoded).toEqual(produced);
    expect(decoder.taskId).toBe('t-1');
    expect(decoder.completed).toBe(false);
    decoder.decode(hop({ payload: { $case: 'statusUpdate', value: encodeTerminalStatus('t-1', 'c-1', { state: TaskState.TASK_STATE_COMPLETED }) } }));
    expect(decoder.completed).toBe(true);
  });

  it('carries a proposal event unchanged, and reads a task waiting for its approval (input-required) as a completed answer', () => {
    const proposal: ProposalEvent = { type: 'approval_required', agent: 'developer', proposalId: 'p-1', kind: 'automation', title: 'Porch light', status: 'proposed', risk: { level: 'high', reasons: ['It controls Front Door.'] } };
    const decoder = new AgentEventDecoder('architect');
    expect(decoder.decode(overTheWire({ payload: { $case: 'artifactUpdate', value: encodeAgentEvent(proposal, 'architect', 't-1', 'c-1', true) } }))).toEqual([proposal]);
    const waiting = encodeInputRequired('t-1', 'c-1', proposal);
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(JSON.stringify(waiting.status?.message?.parts)).toContain('send \\"approve\\" or \\"reject\\" on this task');
    expect(decoder.decode(overTheWire({ payload: { $case: 'statusUpdate', value: waiting } }))).toEqual([{ type: 'agent_end', agent: 'architect' }]);
    expect([decoder.completed, decoder.settled]).toEqual([true, true]);
  });

  it.each([
    ['in-process objects', (r: StreamResponse) => r],
    ['the JSON wire', overTheWire],
  ])('carries a chart as a file part (bytes, media type, file name) and gives back the same image event through %s', (_label, hop) => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>';
    const image: AgentEvent = { type: 'image', agent: 'ds-analysts', title: 'Daily energy use, last 7 days', mediaType: 'image/svg+xml', data: Buffer.from(svg).toString('base64') };
    const update = encodeAgentEvent(image, 'ds-analysts', 't-1', 'c-1', true);
    const [part] = update.artifact!.parts;
    expect(update.artifact?.artifactId).toBe('events');
    expect([part.content?.$case, part.mediaType, part.filename]).toEqual(['raw', 'image/svg+xml', 'daily_energy_use_last_7_days.svg']);
    expect(Buffer.from(part.content?.$case === 'raw' ? part.content.value : []).toString()).toBe(svg);
    // On the JSON wire the bytes are base64 in the part's `raw` field, as A2A v1.0 has them.
    expect(JSON.stringify(StreamResponse.toJSON({ payload: { $case: 'artifactUpdate', value: update } }))).toContain(`"raw":"${Buffer.from(svg).toString('base64')}"`);
    expect(new AgentEventDecoder('ds-orchestrator').decode(hop({ payload: { $case: 'artifactUpdate', value: update } }))).toEqual([image]);
  });

  it('puts tokens on the answer artifact (appending after the first chunk) and other events on the events artifact', () => {
    const first = encodeAgentEvent({ type: 'token', agent: 'architect', content: 'a' }, 'architect', 't', 'c', true);
    const later = encodeAgentEvent({ type: 'token', agent: 'architect', content: 'b' }, 'architect', 't', 'c', false);
    const status = encodeAgentEvent({ type: 'status', agent: 'architect', content: 'working' }, 'architect', 't', 'c', true);
    expect([first.artifact?.artifactId, first.append, later.append]).toEqual(['answer', false, true]);
    expect(first.artifact?.parts[0].content).toEqual({ $case: 'text', value: 'a' });
    expect(status.artifact?.artifactId).toBe('events');
    expect(status.artifact?.parts[0].content).toEqual({ $case: 'data', value: { type: 'status', agent: 'architect', content: 'working' } });
  });

  it('throws the AgentError a failed task carries, code and origin included, across the wire', () => {
    const failure = errorEventFrom(new AgentError('upstream_error', 'Home Assistant timed out', 'ds-analysts'), 'architect');
    const decoder = new AgentEventDecoder('architect');
    const response = overTheWire({
      payload: { $case: 'statusUpdate', value: encodeTerminalStatus('t-1', 'c-1', { state: TaskState.TASK_STATE_FAILED, error: failure }) },
    });

    let thrown: unknown;
    try {
      decoder.decode(response);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AgentError);
    expect(thrown).toMatchObject({ code: 'upstream_error', message: 'Home Assistant timed out', agent: 'ds-analysts' });
    expect(decoder.settled).toBe(true);
    expect(decoder.completed).toBe(false);
  });

  it('treats a plain exception as internal_error of the failing agent', () => {
    expect(errorEventFrom(new TypeError('x is undefined'), 'librarian')).toEqual({
      type: 'error',
      agent: 'librarian',
      code: 'internal_error',
      content: 'x is undefined',
    });
  });

  it('falls back to internal_error (failed) or cancelled (canceled) when a foreign agent gives no code', () => {
    const statusMessage: Message = {
      messageId: 'm',
      contextId: 'c',
      taskId: 't',
      role: Role.ROLE_AGENT,
      parts: [{ content: { $case: 'text', value: 'Agent execution error: boom' }, mediaType: 'text/plain', filename: '', metadata: {} }],
      metadata: {},
      extensions: [],
      referenceTaskIds: [],
    };
    const failed = () =>
      new AgentEventDecoder('developer').decode({
        payload: { $case: 'task', value: { id: 't', contextId: 'c', status: { state: TaskState.TASK_STATE_FAILED, message: statusMessage, timestamp: undefined }, artifacts: [], history: [], metadata: {} } },
      });
    expect(failed).toThrow(expect.objectContaining({ code: 'internal_error', message: 'Agent execution error: boom', agent: 'developer' }));

    const cancelled = () =>
      new AgentEventDecoder('developer').decode({
        payload: { $case: 'statusUpdate', value: { taskId: 't', contextId: 'c', status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: undefined }, metadata: {} } },
      });
    expect(cancelled).toThrow(expect.objectContaining({ code: 'cancelled', agent: 'developer' }));
  });

  it('decodes a foreign agent reply message: text as tokens, structured data as a result', () => {
    const decoder = new AgentEventDecoder('librarian');
    const events = decoder.decode({
      payload: {
        $case: 'message',
        value: {
          messageId: 'm',
          contextId: 'c',
          taskId: '',
          role: Role.ROLE_AGENT,
          parts: [
            { content: { $case: 'text', value: 'Found 3 lights' }, mediaType: 'text/plain', filename: '', metadata: undefined },
            { content: { $case: 'data', value: { entities: ['light.a'] } }, mediaType: 'application/json', filename: '', metadata: undefined },
          ],
          metadata: undefined,
          extensions: [],
          referenceTaskIds: [],
        },
      },
    });
    expect(events).toEqual([
      { type: 'agent_start', agent: 'librarian' },
      { type: 'token', agent: 'librarian', content: 'Found 3 lights' },
      { type: 'result', agent: 'librarian', data: { entities: ['light.a'] } },
      { type: 'agent_end', agent: 'librarian' },
    ]);
    expect(decoder.completed).toBe(true);
  });
});
