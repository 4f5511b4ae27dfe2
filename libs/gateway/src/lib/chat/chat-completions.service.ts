import { AgentDirectory } from '@aether/agent-runtime';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { AgentError, decisionTarget, ProposalDecisionClient, readChatDecision, type AgentClient, type AgentName, type AgentRequest } from '@aether/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AnswerTrail } from '../conversations/answer-trail';
import { ConversationMemory, type ConversationTurnKey } from '../conversations/conversation-memory.service';
import { OpenAiApiException } from '../errors/openai-error';
import { toOpenAiError } from '../errors/to-openai-error';
import { ServerSentEvents } from '../http/server-sent-events';
import { ModelCatalog } from '../models/model-catalog.service';
import { toAgentRequest } from './agent-request.mapper';
import { AnswerLimiter } from './answer-limiter';
import { conversationOpening } from './conversation-id';
import { ChatMetrics } from './chat-metrics.service';
import type { ChatCompletionRequest, ChatMessage } from './chat-completion-request.schema';
import { CompletionChunks, newCompletionId, unixSeconds, type ChatCompletion } from './completion-chunks';
import { ProgressRenderer } from './progress-renderer';
import { fitPromptBudget } from './prompt-budget';
import { ModelUsageLedger } from '../usage/model-usage-ledger.service';
import { estimateUsage, turnUsage, type CompletionUsage } from './token-estimate';
import { raceAbort, untilAborted } from './until-aborted';
import { ProposalDecisions } from '../proposals/proposal-decisions.service';
import { pictureMarkdown } from './answer-pictures';

export interface ChatOrigin {
  userId: string;
  /** Where the client reaches this gateway (scheme, host, port): the base of links in the answer. */
  origin: string;
}

/** A validated chat request, bound to the agent that will answer it. */
export interface PreparedChat {
  request: ChatCompletionRequest;
  model: string;
  /** The agent called first: the orchestrator for `agent: auto`, else the named agent. */
  agent: AgentName;
  agentRequest: AgentRequest;
  client: AgentClient;
  /** Where this turn is remembered. */
  conversation: ConversationTurnKey;
  /** Settles once the user's message is written (or its failed write logged): the answer is written after it. */
  questionStored: Promise<void>;
  /** What the agents were given, as chat messages: the client's messages plus any recalled turns (for usage). */
  promptMessages: ChatMessage[];
  /** Set when this answer completes the conversation's first exchange: its question (see `ConversationMemory.identify`). */
  openingQuestion?: string;
  /** See `ChatOrigin.origin`. */
  origin: string;
}

export interface StreamOptions {
  /** `X-Aether-Events: 1`: also send every agent event as an `aether_event` chunk. */
  richEvents: boolean;
}

/** Header carrying the conversation id, so stream clients learn it before the first chunk. */
export const CONVERSATION_ID_HEADER = 'X-Aether-Conversation-Id';

/** Stored as a disconnected client's failed answer. */
const CLIENT_DISCONNECTED = new AgentError('cancelled', 'The client disconnected before the answer was complete.');

/**
 * Answers OpenAI chat-completion requests with Aether's agents: `agent: auto` goes to the
 * orchestrator, a named agent is called directly. Streams forward tokens as they arrive and render
 * progress as `reasoning_content`. Every question and answer is remembered (`ConversationMemory`);
 * a follow-up that names its conversation gets the stored turns as history.
 */
@Injectable()
export class ChatCompletionsService {
  private readonly logger = new Logger('ChatCompletions');

  constructor(
    private readonly agents: AgentDirectory,
    private readonly models: ModelCatalog,
    private readonly metrics: ChatMetrics,
    private readonly memory: ConversationMemory,
    private readonly usage: ModelUsageLedger,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
    private readonly proposals: ProposalDecisions,
  ) {}

  /**
   * Accepts a validated request: resolves the model, the agent and the history (recalling stored
   * turns for a follow-up), then records the user's message (before any agent runs when the client
   * named the conversation, else beside them; before the answer either way), so a failed answer
   * loses nothing. Rejects with a 503 when history is needed and the store is down.
   */
  async accept(request: ChatCompletionRequest, origin: ChatOrigin): Promise<PreparedChat> {
    if (request.responseFormat) {
      throw OpenAiApiException.invalidRequest(
        `Unsupported value for 'response_format' (${request.responseFormat.type}) on a request for the agents: their answer is written over several model calls and tool results, so its format cannot be guaranteed. It is honoured on utility requests, answered by one model call (send 'X-Aether-Request-Kind: utility' or metadata.aether_request_kind = "utility").`,
        'response_format',
        'unsupported_parameter',
      );
    }
    const model = this.models.resolve(request.model);
    const agent: AgentName = request.agent === 'auto' ? 'orchestrator' : request.agent;
    const client = this.agents.client(agent);
    const drafted = toAgentRequest(request, { userId: origin.userId, model, conversationId: '' });
    const identity = await this.memory.identify(request.conversationId, drafted.history, drafted.message, origin.userId);
    const agentRequest = { ...drafted, context: { ...drafted.context, conversationId: identity.conversationId } };
    // The request's overall budget starts here and travels with every hop below.
    agentRequest.context.deadline = Date.now() + this.config.agentCalls.requestDeadlineMs;
    const conversation = { conversationId: identity.conversationId, userId: origin.userId };
    let resolved: Awaited<ReturnType<ConversationMemory['resolveHistory']>>;
    try {
      resolved = await this.memory.resolveHistory(agentRequest.history, conversation, identity.namedByClient);
    } catch (error) {
      await this.keepUnansweredQuestion(conversation, agentRequest.message, model, request.messages, error);
      throw error;
    }
    // Long chats reach the agents as their newest turns only (storage keeps them all).
    const { history, dropped } = fitPromptBudget(resolved.history, this.config.prompt);
    const questionStored = this.memory.rememberQuestion(conversation, agentRequest.message, identity.opening);
    // A conversation the client named may be another caller's (404): that is known before any
    // agent runs. Any other is this caller's (new, or found by its opening), and a failed write is
    // logged, not thrown (see `ConversationMemory`): its round trip runs beside the agents' work
    // instead of before it, and the answer is written after it.
    if (identity.namedByClient) await questionStored;
    // Usage counts what the agents get: the client's messages and recalled turns, or what is left of them.
    const promptMessages: ChatMessage[] =
      dropped > 0
        ? [...history.map((turn) => ({ role: turn.role, content: turn.content })), { role: 'user', content: agentRequest.message }]
        : [...resolved.recalled, ...request.messages];
    const decided = await this.decisionOn(agentRequest.message, conversation);
    return {
      request,
      model,
      agent: decided?.agent ?? agent,
      agentRequest: { ...agentRequest, history },
      client: decided ?? client,
      conversation,
      questionStored: questionStored.catch(() => undefined),
      promptMessages,
      openingQuestion: identity.openingQuestion,
      origin: origin.origin,
    };
  }

  /**
   * "approve" / "reject" / "roll back" in a conversation with a proposal of the caller's waiting
   * for that decision is answered by the Developer (see `ProposalDecisionClient`), not by a model:
   * only the person's own words approve. Anything else — a change request included — goes to the
   * agents, which see the pending proposal through their tools.
   */
  private async decisionOn(message: string, conversation: ConversationTurnKey): Promise<ProposalDecisionClient | undefined> {
    const decision = readChatDecision(message);
    if (!decision) return undefined;
    const status = decision.decision === 'rollback' ? 'deployed' : 'proposed';
    let candidates;
    try {
      candidates = await this.proposals.list({ userId: conversation.userId, conversationId: conversation.conversationId }, { status, conversationId: conversation.conversationId });
    } catch (error) {
      // The agents answer instead; they cannot approve anything, so nothing is decided.
      this.logger.warn(`could not read the conversation's proposals for "${decision.decision}": ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const target = decisionTarget(candidates, decision.named);
    return target ? new ProposalDecisionClient(this.agents.client('developer'), decision.decision, target) : undefined;
  }

  /** Runs the call to completion. Rejects with the abort reason if `signal` aborts first. */
  async complete(chat: PreparedChat, signal: AbortSignal): Promise<ChatCompletion> {
    const trail = new AnswerTrail();
    let result: Awaited<ReturnType<AgentClient['send']>>;
    try {
      result = await raceAbort(chat.client.send(chat.agentRequest, { signal }), signal);
    } catch (error) {
      this.metrics.completed(chat.agent, false, signal.aborted ? 'client_disconnected' : outcomeOf(error));
      await this.rememberAnswer(chat, trail, signal.aborted ? CLIENT_DISCONNECTED : error);
      throw error;
    }
    this.metrics.completed(chat.agent, false, 'ok');
    for (const event of result.events) trail.observe(event);
    const limiter = limiterFor(chat.request);
    const pictures = result.events.flatMap((event) => (event.type === 'artifact' ? [pictureMarkdown(event, chat.origin)] : []));
    // What the client gets is what is remembered (and counted): the answer as max_tokens/stop cut it.
    trail.text = limiter.apply(result.text + pictures.join(''));
    const usage = await this.rememberAnswer(chat, trail);
    return {
      id: newCompletionId(),
      object: 'chat.completion',
      created: unixSeconds(),
      model: chat.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: trail.text, refusal: null },
          logprobs: null,
          finish_reason: limiter.finishReason,
        },
      ],
      usage,
      conversation_id: chat.agentRequest.context.conversationId,
    };
  }

  /**
   * Streams the answer as server-sent `chat.completion.chunk`s ending in `[DONE]`. Errors before
   * the stream opened are rethrown (the exception filter answers with an HTTP status); later ones
   * become a final `{"error":…}` event followed by `[DONE]`. A client that disconnects aborts the
   * agent call.
   */
  async stream(chat: PreparedChat, response: Response, options: StreamOptions): Promise<void> {
    const conversationId = chat.agentRequest.context.conversationId;
    const chunks = new CompletionChunks(chat.model);
    const sse = new ServerSentEvents(response, {
      heartbeatMs: this.config.heartbeatMs,
      headers: { [CONVERSATION_ID_HEADER]: conversationId },
      onOpen: (stream) => void stream.data(chunks.role()),
    });
    const abort = new AbortController();
    sse.onDisconnect(() => abort.abort(new Error('client disconnected')));

    const renderer = new ProgressRenderer();
    const trail = new AnswerTrail();
    const pictures: string[] = [];
    const limiter = limiterFor(chat.request);
    const started = performance.now();
    const sendText = async (text: string) => {
      if (!text) return;
      if (!trail.text) this.metrics.firstTokenAfter(chat.agent, (performance.now() - started) / 1000);
      trail.text += text;
      await sse.data(chunks.content(text));
    };
    try {
      const events = chat.client.stream(chat.agentRequest, { signal: abort.signal });
      for await (const event of untilAborted(events, abort.signal)) {
        if (event.type === 'token') {
          if (!event.content) continue;
          // Only what max_tokens/stop let through, also in the rich event.
          const allowed = limiter.push(event.content);
          if (options.richEvents && allowed) await sse.data(chunks.event({ ...event, content: allowed }));
          await sendText(allowed);
          // Cut: the rest of the answer is not wanted; leaving the loop ends the agent call.
          if (limiter.done) break;
          continue;
        }
        if (options.richEvents) await sse.data(chunks.event(event));
        // Shown after the text: the answer's own words come first, whichever agent wrote them.
        if (event.type === 'artifact') pictures.push(pictureMarkdown(event, chat.origin));
        trail.observe(event);
        const reasoning = renderer.render(event);
        if (reasoning) await sse.data(chunks.reasoning(reasoning));
      }
      if (!limiter.done) for (const picture of pictures) await sendText(limiter.push(picture));
      await sendText(limiter.flush());
      // Stored before the stream ends, so a follow-up sent right after `[DONE]` finds this answer.
      const usage = await this.rememberAnswer(chat, trail);
      await sse.data(chunks.finish(conversationId, limiter.finishReason));
      if (chat.request.includeUsage) await sse.data(chunks.usage(usage));
      await sse.data('[DONE]');
      sse.end();
      this.metrics.completed(chat.agent, true, 'ok');
    } catch (error) {
      if (abort.signal.aborted) {
        // The client is gone; there is nobody to tell, but the conversation keeps the record.
        sse.end();
        this.metrics.completed(chat.agent, true, 'client_disconnected');
        await this.rememberAnswer(chat, trail, CLIENT_DISCONNECTED);
        return;
      }
      this.metrics.completed(chat.agent, true, outcomeOf(error));
      await this.rememberAnswer(chat, trail, error);
      if (!sse.isOpen) {
        sse.dispose();
        throw error;
      }
      const { status, body } = toOpenAiError(error);
      const message = `stream of ${chat.agent} failed after it started (${status} ${body.error.code ?? body.error.type}): ${
        error instanceof Error ? error.message : String(error)
      }`;
      if (body.error.code === 'internal_error' && error instanceof Error && error.stack) {
        this.logger.error(message, error.stack);
      } else {
        this.logger.warn(message);
      }
      await sse.data(body);
      await sse.data('[DONE]');
      sse.end();
    }
  }

  /**
   * The history could not be read, so the question is not answered; it is still kept (with the
   * error as its failed answer) if the store takes writes, so the user finds it in the conversation.
   */
  private async keepUnansweredQuestion(
    conversation: ConversationTurnKey,
    question: string,
    model: string,
    messages: ChatMessage[],
    error: unknown,
  ): Promise<void> {
    try {
      await this.memory.rememberQuestion(conversation, question);
    } catch {
      // Not the caller's conversation (404): there is nothing of theirs to keep it in.
      return;
    }
    await this.memory.rememberAnswer(conversation, { trail: new AnswerTrail(), model, usage: estimateUsage(messages, ''), error });
  }

  /**
   * Records the answer and its model calls' usage (never throws, see `ConversationMemory` and
   * `ModelUsageLedger`) and returns its usage: the providers' counts, else an estimate.
   */
  private async rememberAnswer(chat: PreparedChat, trail: AnswerTrail, error?: unknown): Promise<CompletionUsage> {
    const usage = turnUsage(trail.usage, chat.promptMessages, trail.text);
    // The answer as the client got it is what it will resend as the first exchange.
    const opening = chat.openingQuestion !== undefined ? conversationOpening(chat.openingQuestion, trail.text) : undefined;
    await chat.questionStored;
    // Independent rows: written side by side, one round trip on the answer's path instead of two.
    await Promise.all([
      this.usage.record(chat.conversation, trail.usage),
      this.memory.rememberAnswer(chat.conversation, {
        trail,
        model: chat.model,
        usage,
        ...(error !== undefined ? { error } : {}),
        ...(opening ? { opening } : {}),
      }),
    ]);
    return usage;
  }
}

function limiterFor(request: ChatCompletionRequest): AnswerLimiter {
  return new AnswerLimiter({ maxTokens: request.maxTokens, stop: request.stop });
}

function outcomeOf(error: unknown): string {
  const { body } = toOpenAiError(error);
  return body.error.code ?? body.error.type;
}
