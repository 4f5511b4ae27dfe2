/**
 * A whole (not streamed) response body rewritten once it has all arrived: the JSON of a chat
 * completion can only be parsed whole. `rewrite` gets the bytes and returns them, changed or not.
 */
export function rewriteWholeBody(body: ReadableStream<Uint8Array>, rewrite: (bytes: Buffer) => Uint8Array | string): ReadableStream<Uint8Array> {
  const chunks: Uint8Array[] = [];
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk) {
        chunks.push(chunk);
      },
      flush(controller) {
        const rewritten = rewrite(Buffer.concat(chunks));
        controller.enqueue(typeof rewritten === 'string' ? new TextEncoder().encode(rewritten) : rewritten);
      },
    }),
  );
}
