import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import {
  JSON_RPC_CONTENT_TYPE_NOT_SUPPORTED,
  JSON_RPC_INVALID_REQUEST,
  JSON_RPC_PARSE_ERROR,
  jsonRpcError,
} from './json-rpc-errors';
import { refuseOversizeBody } from './oversize-body';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * JSON body parser for the A2A endpoint only (apps start with Nest's parser off), so its failures
 * come back as JSON-RPC errors: malformed JSON → -32700 (400), too large → 413, not JSON → -32005 (415).
 */
@Injectable()
export class JsonRpcBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler;
  private readonly limit: number;

  constructor(@Inject(AETHER_CONFIG) config: AetherConfig) {
    this.limit = config.bodyLimitBytes;
    // strict: false lets valid JSON that is not an object through, to be answered -32600 (Invalid Request) rather than -32700.
    this.parse = express.json({ limit: this.limit, type: JSON_TYPES, strict: false });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    if (req.headers['content-type'] && !req.is(JSON_TYPES)) {
      res
        .status(415)
        .json(jsonRpcError(null, JSON_RPC_CONTENT_TYPE_NOT_SUPPORTED, `Unsupported Content-Type "${req.headers['content-type']}"; expected application/json`));
      return;
    }
    // body-parser would buffer up to the limit first: an oversize Content-Length is refused unread.
    if (refuseOversizeBody(req, res, this.limit, () => this.tooLarge(res))) return;
    this.parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: unknown }).type;
      if (type === 'entity.too.large') {
        this.tooLarge(res);
      } else if (type === 'entity.parse.failed') {
        res.status(400).json(jsonRpcError(null, JSON_RPC_PARSE_ERROR, 'Invalid JSON payload'));
      } else {
        next(error);
      }
    });
  }

  private tooLarge(res: Response): void {
    res.status(413).json(jsonRpcError(null, JSON_RPC_INVALID_REQUEST, `Request body exceeds ${this.limit} bytes`));
  }
}
