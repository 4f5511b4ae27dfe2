/**
 * Reads a `text/event-stream` body block by block (a block is what sits between blank lines:
 * a `data:` event or a `:` comment), as raw text — for assertions the SDK would hide.
 */
export async function* sseBlocks(response: Response): AsyncGenerator<string> {
  if (!response.body) throw new Error('response has no body');
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      yield buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
    }
  }
  if (buffer.trim()) yield buffer;
}

/** The JSON (or `[DONE]`) carried by a `data:` block; undefined for comments. */
export function dataOf(block: string): unknown {
  if (!block.startsWith('data: ')) return undefined;
  const data = block.slice('data: '.length);
  return data === '[DONE]' ? data : JSON.parse(data);
}
