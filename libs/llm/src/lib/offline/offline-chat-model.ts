import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
  type LangSmithParams,
} from '@langchain/core/language_models/chat_models';
import {
  AIMessageChunk,
  type AIMessageChunkFields,
  type BaseMessage,
  type UsageMetadata,
} from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import type { OfflineDecision, OfflinePolicy } from '../chat-model-factory';
import { OFFLINE_MODEL_ID } from '../llm-profile';
import { toToolSpecs } from './bound-tools';
import { decideOfflineResponse } from './offline-rules';

/** Tokens streamed per turn of the event loop (see `_streamResponseChunks`). */
const TOKENS_PER_TURN = 32;
/** Longest text chunk the model streams (see `textPieces`). */
const PIECE_CHARS = 64;

export interface OfflineChatModelFields extends BaseChatModelParams {
  /** The agent's rules; consulted before the generic ones. */
  policy?: OfflinePolicy;
  /** The agent's display name, used when the model explains what it can do ("Architect"). */
  agentLabel?: string;
}

export interface OfflineChatModelCallOptions extends BaseChatModelCallOptions {
  /** Set by `bindTools`: the tools the model may call. */
  tools?: BindToolsInput[];
}

/** One response, planned in full before it is emitted (streamed or not). */
interface PlannedResponse {
  id: string;
  text: string;
  toolCalls: Array<{ id: string; name: string; args: Record<string, unknown> }>;
  usage: UsageMetadata;
}

/**
 * `aether-offline`: a deterministic chat model for running Aether without an LLM. It follows the
 * agent's `OfflinePolicy`, then generic keyword rules (see `decideOfflineResponse`), and speaks the
 * same LangChain protocol as a real chat model — `bindTools`, tool calls, token streaming with
 * `tool_call_chunks`, usage metadata — so agent loops (`createAgent`, `bindTools().stream()`) run
 * unchanged on it. The same conversation always produces the same text and tool calls; only the
 * message and tool-call ids are fresh per response, as with a real model.
 */
export class OfflineChatModel extends BaseChatModel<OfflineChatModelCallOptions, AIMessageChunk> {
  static override lc_name(): string {
    return 'OfflineChatModel';
  }

  /** The model id, as real chat models expose it. */
  readonly model = OFFLINE_MODEL_ID;
  private readonly policy?: OfflinePolicy;
  private readonly agentLabel?: string;

  constructor(fields: OfflineChatModelFields = {}) {
    const { policy, agentLabel, ...base } = fields;
    super(base);
    this.policy = policy;
    this.agentLabel = agentLabel;
  }

  override _llmType(): string {
    return OFFLINE_MODEL_ID;
  }

  override getLsParams(options: this['ParsedCallOptions']): LangSmithParams {
    return { ...super.getLsParams(options), ls_provider: 'aether', ls_model_name: OFFLINE_MODEL_ID };
  }

  /**
   * Binds tools the way provider chat models do: a `RunnableBinding` carrying the tools as call
   * options (so `createAgent` can re-bind and detect already bound tools). The tool objects are kept
   * as they are; the decision reads their names, descriptions and schemas.
   */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<OfflineChatModelCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, OfflineChatModelCallOptions> {
    return this.withConfig({ ...kwargs, tools: [...tools] });
  }

  /**
   * The streamed chunks merged into one message, so both paths give identical results. It is an
   * `AIMessageChunk` like the declared output type (the base `withStructuredOutput` parser insists).
   */
  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const response = this.plan(messages, options);
    const message = chunkFields(response)
      .map((fields) => new AIMessageChunk({ id: response.id, ...fields }))
      .reduce((merged, chunk) => merged.concat(chunk));
    return {
      generations: [{ text: message.text, message }],
      llmOutput: { tokenUsage: tokenUsage(response.usage) },
    };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const response = this.plan(messages, options);
    let sinceYield = 0;
    for (const fields of chunkFields(response)) {
      // A provider's tokens arrive over the network, between which the process serves others; this
      // model's are all ready at once, and a long answer streamed as one chain of promises would
      // hold the event loop (health checks, other chats) until its last token.
      if (++sinceYield > TOKENS_PER_TURN) {
        sinceYield = 0;
        await nextTurnOfEventLoop();
      }
      options.signal?.throwIfAborted();
      const chunk = new ChatGenerationChunk({
        text: typeof fields.content === 'string' ? fields.content : '',
        message: new AIMessageChunk({ id: response.id, ...fields }),
      });
      yield chunk;
      await runManager?.handleLLMNewToken(chunk.text, { prompt: 0, completion: 0 }, undefined, undefined, undefined, {
        chunk,
      });
    }
  }

  private plan(messages: BaseMessage[], options: this['ParsedCallOptions']): PlannedResponse {
    const decision = decideOfflineResponse({
      messages,
      tools: toToolSpecs(options.tools),
      toolChoice: options.tool_choice,
      policy: this.policy,
      agentLabel: this.agentLabel,
    });
    const text = decision.kind === 'text' ? decision.text : '';
    const toolCalls = decision.kind === 'tool_calls' ? decision.calls.map(withCallId) : [];
    const inputTokens = messages.reduce((sum, m) => sum + estimateTokens(m.text), 0);
    const outputTokens =
      estimateTokens(text) + toolCalls.reduce((sum, c) => sum + estimateTokens(JSON.stringify(c.args)), 0);
    return {
      id: `${OFFLINE_MODEL_ID}-${randomUUID()}`,
      text,
      toolCalls,
      usage: { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
    };
  }
}

/**
 * The response as a real provider streams it: text one word (with its leading whitespace) per chunk;
 * each tool call as a header chunk (id, name) followed by its arguments, merged by `index`; then a
 * final chunk with the finish reason and usage.
 */
function chunkFields(response: PlannedResponse): AIMessageChunkFields[] {
  const chunks: AIMessageChunkFields[] = [];
  for (const piece of textPieces(response.text)) chunks.push({ content: piece });
  response.toolCalls.forEach((call, index) => {
    chunks.push({
      content: '',
      tool_call_chunks: [{ type: 'tool_call_chunk', id: call.id, name: call.name, args: '', index }],
    });
    chunks.push({
      content: '',
      tool_call_chunks: [{ type: 'tool_call_chunk', args: JSON.stringify(call.args), index }],
    });
  });
  chunks.push({ content: '', usage_metadata: response.usage, response_metadata: responseMetadata(response) });
  return chunks;
}

/**
 * The answer's text in pieces of whole words, at most `PIECE_CHARS` long (a longer word is a piece
 * of its own). A provider's tokens are ~4 characters; this model has no tokenizer to imitate, and
 * every chunk costs the agent loop the same (a LangChain message chunk, callbacks, a merge), so
 * word-sized chunks made a long computed report cost more to stream than to compute.
 */
function textPieces(text: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const word of text.match(/\s*\S+|\s+$/g) ?? []) {
    if (piece && piece.length + word.length > PIECE_CHARS) {
      pieces.push(piece);
      piece = '';
    }
    piece += word;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

function responseMetadata(response: PlannedResponse): Record<string, unknown> {
  return {
    model_name: OFFLINE_MODEL_ID,
    model_provider: 'aether',
    finish_reason: response.toolCalls.length > 0 ? 'tool_calls' : 'stop',
  };
}

function withCallId(call: Extract<OfflineDecision, { kind: 'tool_calls' }>['calls'][number]) {
  return { id: `call_${randomUUID().replace(/-/g, '')}`, name: call.name, args: call.args };
}

/** Rough token count: one per word or punctuation run, which is close enough for usage reporting. */
function estimateTokens(text: string): number {
  return text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]+/gu)?.length ?? 0;
}

function tokenUsage(usage: UsageMetadata) {
  return { promptTokens: usage.input_tokens, completionTokens: usage.output_tokens, totalTokens: usage.total_tokens };
}
