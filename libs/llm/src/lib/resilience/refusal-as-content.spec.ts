import { refusalAsContent, streamRefusalsAsContent } from './refusal-as-content';

async function through(pieces: string[]): Promise<string> {
  const encoder = new TextEncoder();
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  let text = '';
  const decoder = new TextDecoder();
  const reader = streamRefusalsAsContent(source).getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) text += decoder.decode(next.value, { stream: true });
  return text;
}

describe('refusals as content', () => {
  const event = (delta: object) => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;

  it('moves a streamed refusal into content, however the events are cut into chunks', async () => {
    const sse = event({ role: 'assistant', content: '', refusal: null }) + event({ refusal: 'I can’t help with that.' }) + 'data: [DONE]\n\n';
    for (const size of [1, 7, 64, sse.length]) {
      const pieces = sse.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
      expect(await through(pieces)).toBe(event({ role: 'assistant', content: '', refusal: null }) + event({ refusal: null, content: 'I can’t help with that.' }) + 'data: [DONE]\n\n');
    }
  });

  it('passes every other stream through byte for byte', async () => {
    const sse = event({ content: 'Two lights are on.', refusal: null }) + 'data: [DONE]\n\n';
    expect(await through([sse.slice(0, 10), sse.slice(10)])).toBe(sse);
  });

  it('moves a whole answer’s refusal into its content', () => {
    const body = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: 'No.' } }] });
    expect(JSON.parse(refusalAsContent(body)).choices[0].message).toEqual({ role: 'assistant', content: 'No.', refusal: null });
  });
});
