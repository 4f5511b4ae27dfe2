const NEWLINE = 0x0a;

/**
 * A streamed (SSE) body rewritten a run of whole lines at a time: `rewrite` gets every complete
 * line received so far (a partial last line waits for the next chunk, and for the end) and returns
 * the bytes to pass on, the same bytes when nothing needs changing.
 */
export function rewriteWholeLines(body: ReadableStream<Uint8Array>, rewrite: (lines: Buffer) => Uint8Array): ReadableStream<Uint8Array> {
  let tail: Buffer = Buffer.alloc(0);
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const bytes = tail.length ? Buffer.concat([tail, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const end = bytes.lastIndexOf(NEWLINE) + 1;
        tail = Buffer.from(bytes.subarray(end));
        if (end > 0) controller.enqueue(rewrite(bytes.subarray(0, end)));
      },
      flush(controller) {
        if (tail.length) controller.enqueue(rewrite(tail));
      },
    }),
  );
}
