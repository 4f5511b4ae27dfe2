import { createHash } from 'node:crypto';
import { AGENT_CARD_PATH, AgentCard } from '@a2a-js/sdk';
import { legacyAgentCardRouter } from '@a2a-js/sdk/compat/v0_3/server/express';
import { Controller, Get, Next, Req, Res } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { A2A_V03, A2A_VERSION_HEADER } from '../protocol/a2a-wire';
import { ServedAgent } from './served-agent';

const CARD_MAX_AGE_SECONDS = 300;

/**
 * `GET /.well-known/agent-card.json`. A v1.0 caller (`A2A-Version: 1.0`) gets the v1.0 card; a
 * request without the header is a v0.3 caller by spec and gets the SDK's v0.3 translation, which is
 * what older A2A clients (e.g. the Python a2a-sdk 0.3) can parse.
 */
@Controller()
export class AgentCardController {
  private readonly legacyCard: RequestHandler;

  constructor(private readonly served: ServedAgent) {
    // Mounted at the card path inside a router of our own, so the SDK router sees its usual "/".
    this.legacyCard = express
      .Router()
      .use(`/${AGENT_CARD_PATH}`, legacyAgentCardRouter({ agentCardProvider: async () => this.served.card(), cache: { maxAge: CARD_MAX_AGE_SECONDS } }));
  }

  @Get(AGENT_CARD_PATH)
  card(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction): void {
    if ((req.header(A2A_VERSION_HEADER) || A2A_V03) === A2A_V03) {
      this.legacyCard(req, res, next);
      return;
    }
    const body = JSON.stringify(AgentCard.toJSON(this.served.card()));
    res.setHeader('ETag', `W/"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`);
    res.append('Vary', A2A_VERSION_HEADER);
    res.setHeader('Cache-Control', `public, max-age=${CARD_MAX_AGE_SECONDS}`);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.status(200).type('application/json').send(body);
  }
}
