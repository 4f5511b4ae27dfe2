import { Controller, Get, Injectable, Param, Query, Req, Res, UseGuards, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { getCaller } from '../auth/caller-identity';
import { OpenAiApiException } from '../errors/openai-error';
import { GATEWAY_ROUTE_PREFIXES } from '../gateway-routes';
import { TeamRecords } from './team-records.service';

/** The caller id a link's request travels under: the link's secret, not a key, grants it. */
const LINK_HOLDER = 'artifact-link';

/** A request with the artifact link's `token` goes on to the controller, which checks it; any other needs an API key. */
@Injectable()
export class ApiKeyOrArtifactLinkGuard extends ApiKeyGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const token = context.switchToHttp().getRequest<Request>().query['token'];
    if (typeof token === 'string' && token !== '') return true;
    return super.canActivate(context);
  }
}

/**
 * `/api/v1/artifacts/:id`: a picture the data science team made for an answer (a chart), kept with
 * its report. Served to the key that asked for it, or to whoever holds the link the answer gave
 * (`?token=`): a chat UI shows the answer's Markdown image from the browser, which has no API key.
 * A wrong or missing secret is 401, another key's picture 404.
 */
@Controller(GATEWAY_ROUTE_PREFIXES.map((prefix) => `${prefix}/artifacts`))
@UseGuards(ApiKeyOrArtifactLinkGuard)
export class ArtifactsController {
  constructor(private readonly records: TeamRecords) {}

  @Get(':id')
  async get(@Param('id') id: string, @Query('token') token: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const caller = getCaller(request);
    const byLink = caller === undefined;
    const outcome = await this.records.ask(caller?.userId ?? LINK_HOLDER, { action: 'get_artifact', artifactId: id, ...(byLink ? { accessToken: String(token) } : {}) });
    if (!('artifact' in outcome)) {
      if (byLink) {
        // Whether the id exists is not told to someone without its secret.
        response.setHeader('WWW-Authenticate', 'Bearer realm="aether"');
        throw new OpenAiApiException(401, { message: 'This artifact link is not valid: its token does not match. Use the link from the answer, or send your API key.', type: 'authentication_error', code: 'invalid_artifact_token' });
      }
      throw new OpenAiApiException(404, { message: `No artifact found with id '${id}'.`, type: 'invalid_request_error', param: 'id', code: 'artifact_not_found' });
    }
    const { artifact } = outcome;
    response
      .status(200)
      .setHeader('Content-Type', artifact.mediaType)
      // An SVG is a document: nothing in it may run or load anything, whatever it holds.
      .setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .setHeader('X-Content-Type-Options', 'nosniff')
      // A kept picture never changes (a new analysis makes a new one).
      .setHeader('Cache-Control', 'private, max-age=31536000, immutable')
      .end(Buffer.from(artifact.data, 'base64'));
  }
}
