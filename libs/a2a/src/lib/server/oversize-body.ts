import type { Request, Response } from 'express';

/** A declared body over this many times the limit is not worth receiving: its connection closes. */
const DRAIN_FACTOR = 4;

/**
 * Refuses at once, without buffering a byte, a request whose `Content-Length` is over `limit`:
 * `answer` writes the 413 before the body has arrived (so a client that announces more than it
 * sends still gets it). The connection stays open while the rest of the body arrives, which Node
 * reads and throws away: clients such as fetch and the OpenAI SDKs send their whole body before
 * they read a response, and a connection closed under them would cut their upload (EPIPE, "fetch
 * failed") instead of showing the 413. A declared body of more than a few times the limit gets
 * `Connection: close` instead; a sender that stalls meets the server's request timeout.
 * Returns false when the declared length is within the limit (the caller parses the body).
 */
export function refuseOversizeBody(request: Request, response: Response, limit: number, answer: () => void): boolean {
  const declared = Number(request.headers['content-length']);
  if (!(declared > limit)) return false;
  if (declared > DRAIN_FACTOR * limit) response.setHeader('Connection', 'close');
  answer();
  return true;
}
