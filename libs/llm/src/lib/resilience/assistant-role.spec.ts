import { streamAssistantRole, wholeAssistantRole } from './assistant-role';

const encoder = new TextEncoder();

function source(pieces: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  let out = '';
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) out += decoder.decode(next.value, { stream: true });
  return out;
}

describe('the assistant role where a provider leaves it out', () => {
  const event = (delta: object, choices = [{ index: 0, delta }]) => `data: ${JSON.stringify({ choices })}\n\n`;

  it('puts role "assistant" on the first delta of a stream without one, however the events are cut into chunks', async () => {
    const sse = `: keep-alive\n\n${event({}, [])}${event({ content: 'Two' })}${event({ content: ' lights.' })}data: [DONE]\n\n`;
    const expected = `: keep-alive\n\n${event({}, [])}${event({ content: 'Two', role: 'assistant' })}${event({ content: ' lights.' })}data: [DONE]\n\n`;
    for (const size of [1, 5, 64, sse.length]) {
      const pieces = sse.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
      expect(await text(streamAssistantRole(source(pieces)))).toBe(expected);
    }
  });

  it('fills an empty role on any delta, and passes a stream that names its role through byte for byte', async () => {
    expect(await text(streamAssistantRole(source([event({ role: 'assistant', content: '' }) + event({ role: '', content: 'Hi' })])))).toBe(
      event({ role: 'assistant', content: '' }) + event({ role: 'assistant', content: 'Hi' }),
    );
    const named = event({ role: 'assistant', content: '' }) + event({ content: 'Hi' }) + 'data: [DONE]\n\n';
    expect(await text(streamAssistantRole(source([named.slice(0, 9), named.slice(9)])))).toBe(named);
  });

  it('puts role "assistant" on a whole answer\'s message without one, and leaves the rest as it was', async () => {
    const roleless = JSON.stringify({ choices: [{ index: 0, message: { content: 'Hi' }, finish_reason: 'stop' }] });
    expect(JSON.parse(await text(wholeAssistantRole(source([roleless])))).choices[0].message).toEqual({ content: 'Hi', role: 'assistant' });
    const named = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' } }] });
    expect(await text(wholeAssistantRole(source([named])))).toBe(named);
    expect(await text(wholeAssistantRole(source(['not json'])))).toBe('not json');
  });
});
