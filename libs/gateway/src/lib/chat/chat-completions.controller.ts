import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller, type CallerIdentity } from '../auth/caller-identity';
import { GATEWAY_ROUTE_PREFIXES } from '../gateway-routes';
import { parseChatCompletionRequest } from './chat-completion-request.schema';
import { ChatCompletionsService, CONVERSATION_ID_HEADER } from './chat-completions.service';

/** W3C trace-context `traceparent` (version 00 layout). Anything else is ignored rather than forwarded. */
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

@Controller(GATEWAY_ROUTE_PREFIXES)
@UseGuards(ApiKeyGuard)
export class ChatCompletionsController {
  constructor(
    private readonly chat: ChatCompletionsService,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
  ) {}

  @Post('chat/completions')
  @HttpCode(200)
  async create(
    @Body() body: unknown,
    @Caller() caller: CallerIdentity,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const chatRequest = parseChatCompletionRequest(body, this.config.requestLimits);
    const traceparent = header(request, 'traceparent')?.trim().toLowerCase();
    const chat = await this.chat.accept(chatRequest, {
      userId: caller.userId,
      traceparent: traceparent && TRACEPARENT.test(traceparent) ? traceparent : undefined,
    });

    if (chatRequest.stream) {
      const richEvents = ['1', 'true'].includes(header(request, 'x-aether-events')?.trim().toLowerCase() ?? '');
      await this.chat.stream(chat, response, { richEvents });
      return;
    }

    const abort = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) abort.abort(new Error('client disconnected'));
    });
    try {
      const completion = await this.chat.complete(chat, abort.signal);
      response.status(200).setHeader(CONVERSATION_ID_HEADER, completion.conversation_id).json(completion);
    } catch (error) {
      // Nobody is listening any more; there is no response to write.
      if (abort.signal.aborted) return;
      throw error;
    }
  }
}
