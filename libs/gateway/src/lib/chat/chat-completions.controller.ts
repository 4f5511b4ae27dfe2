import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { setActiveSpanConversation, withLogContext } from '@aether/core';
import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller, type CallerIdentity } from '../auth/caller-identity';
import { GATEWAY_ROUTE_PREFIXES } from '../gateway-routes';
import { ModelCatalog } from '../models/model-catalog.service';
import { UtilityCompletions } from '../utility/utility-completions.service';
import { detectUtilityRequest, REQUEST_KIND_HEADER } from '../utility/utility-request';
import { requireSafeId } from '../http/safe-id';
import { parseChatCompletionRequest } from './chat-completion-request.schema';
import { ChatCompletionsService, CONVERSATION_ID_HEADER } from './chat-completions.service';
import { CONVERSATION_ID_REQUEST_HEADERS } from './conversation-id';

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

@Controller(GATEWAY_ROUTE_PREFIXES)
@UseGuards(ApiKeyGuard)
export class ChatCompletionsController {
  constructor(
    private readonly chat: ChatCompletionsService,
    private readonly utility: UtilityCompletions,
    private readonly models: ModelCatalog,
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
    // Titles, tags, follow-ups and the like: one model call, no agent, no conversation stored.
    const utility = detectUtilityRequest(chatRequest, header(request, REQUEST_KIND_HEADER));
    if (utility) {
      const model = this.models.resolve(chatRequest.model);
      if (chatRequest.stream) {
        await this.utility.stream(chatRequest, model, utility, caller.userId, response);
        return;
      }
      const abort = abortOnClose(response);
      try {
        response.status(200).json(await this.utility.complete(chatRequest, model, utility, caller.userId, abort.signal));
      } catch (error) {
        if (abort.signal.aborted) return;
        throw error;
      }
      return;
    }

    chatRequest.conversationId ??= conversationIdFromHeaders(request);
    const chat = await this.chat.accept(chatRequest, {
      userId: caller.userId,
      origin: this.config.publicUrl ?? `${request.protocol}://${request.get('host')}`,
    });

    // The request's span, every span below it and every line logged while it is answered name the conversation.
    const conversationId = chat.conversation.conversationId;
    setActiveSpanConversation(conversationId);
    await withLogContext({ conversationId }, async () => {
      if (chatRequest.stream) {
        const richEvents = ['1', 'true'].includes(header(request, 'x-aether-events')?.trim().toLowerCase() ?? '');
        await this.chat.stream(chat, response, { richEvents });
        return;
      }

      const abort = abortOnClose(response);
      try {
        const completion = await this.chat.complete(chat, abort.signal);
        response.status(200).setHeader(CONVERSATION_ID_HEADER, chat.agentRequest.context.conversationId).json(completion);
      } catch (error) {
        // Nobody is listening any more; there is no response to write.
        if (abort.signal.aborted) return;
        throw error;
      }
    });
  }
}

/** The first conversation id header present (checked like `conversation_id`: it is echoed back in a header). */
function conversationIdFromHeaders(request: Request): string | undefined {
  for (const name of CONVERSATION_ID_REQUEST_HEADERS) {
    const value = header(request, name)?.trim();
    if (value) return requireSafeId(value, name);
  }
  return undefined;
}

/** Aborted when the client goes away before the response was written. */
function abortOnClose(response: Response): AbortController {
  const abort = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) abort.abort(new Error('client disconnected'));
  });
  return abort;
}
