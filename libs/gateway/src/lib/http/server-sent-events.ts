import type { Response } from 'express';

export interface ServerSentEventsOptions {
  /** A `: keep-alive` comment is written after this much silence, so proxies and clients do not time out. */
  heartbeatMs: number;
  /** Extra response headers sent when the stream opens. */
  headers?: Record<string, string>;
  /** Writes the stream's first event(s) when it opens (e.g. the assistant-role chunk). */
  onOpen?: (stream: ServerSentEvents) => void;
}

/**
 * One `text/event-stream` response. It opens lazily — on the first write or the first heartbeat —
 * so a request that fails before producing anything can still answer with a plain HTTP error.
 * Every write goes straight to the socket (no Nagle delay, no compression buffering) and waits
 * for the socket to drain when the client reads slowly.
 *
 * Hand-written rather than Nest's `@Sse()`: that API emits `data:` events only, cannot write
 * comment heartbeats or `[DONE]` on our schedule, and always sends headers before the first event.
 */
export class ServerSentEvents {
  private opened = false;
  private finished = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly disconnectListeners: Array<() => void> = [];

  constructor(
    private readonly response: Response,
    private readonly options: ServerSentEventsOptions,
  ) {
    this.heartbeat = setTimeout(() => this.beat(), options.heartbeatMs);
    response.on('close', () => {
      clearTimeout(this.heartbeat);
      if (!this.finished) {
        this.finished = true;
        for (const listener of this.disconnectListeners) listener();
      }
    });
  }

  /** True once headers are on the wire; from then on errors must travel inside the stream. */
  get isOpen(): boolean {
    return this.opened;
  }

  /** Calls `listener` if the client goes away before the stream was ended. */
  onDisconnect(listener: () => void): void {
    this.disconnectListeners.push(listener);
  }

  /** Writes one `data:` event (JSON, or a literal such as `[DONE]`). */
  async data(payload: object | string): Promise<void> {
    await this.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
  }

  async comment(text: string): Promise<void> {
    await this.write(`: ${text}\n\n`);
  }

  /** Ends the response (opening it first if nothing was written yet). */
  end(): void {
    clearTimeout(this.heartbeat);
    if (this.finished) return;
    this.ensureOpen();
    this.finished = true;
    this.response.end();
  }

  /** Stops the heartbeat without touching the response (when an HTTP error answers instead). */
  dispose(): void {
    clearTimeout(this.heartbeat);
  }

  private ensureOpen(): void {
    if (this.opened) return;
    this.opened = true;
    const { response } = this;
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Connection', 'keep-alive');
    // Tells nginx-style proxies not to buffer the stream.
    response.setHeader('X-Accel-Buffering', 'no');
    for (const [name, value] of Object.entries(this.options.headers ?? {})) response.setHeader(name, value);
    response.socket?.setNoDelay(true);
    response.flushHeaders();
    this.options.onOpen?.(this);
  }

  private async write(text: string): Promise<void> {
    if (this.finished) return;
    this.ensureOpen();
    const flushed = this.response.write(text);
    // Compression middleware, if an app adds one, buffers until told to flush.
    (this.response as Response & { flush?: () => void }).flush?.();
    this.heartbeat.refresh();
    if (!flushed) await this.drained();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }

  private beat(): void {
    if (this.finished) return;
    void this.comment('keep-alive');
  }
}
