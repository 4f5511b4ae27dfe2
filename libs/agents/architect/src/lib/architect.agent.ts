import {
  AgentError,
  decisionTarget,
  isAgentEvent,
  ProposalDecisionClient,
  readChatDecision,
  readDeveloperOutcome,
  type Agent,
  type AgentClient,
  type AgentEvent,
  type AgentRequest,
  type ChatTurn,
  type Proposal,
  type ProposalStatus,
} from '@aether/core';
import { AetherAgent } from '@aether/a2a';
import { InjectAgent } from '@aether/agent-runtime';
import { ChatModelFactory, OFFLINE_MODEL_ID, promptClockLine } from '@aether/llm';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { ClientTool } from '@langchain/core/tools';
import { createAgent } from 'langchain';
import { architectOfflinePolicy } from './architect-offline.policy';
import { ARCHITECT_CARD } from './architect.card';
import { buildArchitectSystemPrompt } from './architect-system-prompt';
import { createArchitectTools } from './architect-tools';
import { HomeSummaryCache, type HomeContext } from './catalog/home-summary';
import { AnswerAssembler } from './answer/answer-assembler';
import { repairModelReplies } from './answer/model-reply-repair.middleware';
import { CONSULT_DATA_SCIENCE_TEAM } from './consult-data-science-team.tool';
import { findAgentError, propagateAgentErrors } from './propagate-agent-errors.middleware';
import { PROPOSAL_TOOL_NAMES } from './proposals/proposal.tools';

/** Earlier turns the model sees (the original Architect's MAX_HISTORY_MESSAGES). */
export const MAX_HISTORY_MESSAGES = 20;
/** Tools whose results are computed reports: they reach the user verbatim. */
const REPORT_TOOLS: ReadonlySet<string> = new Set([CONSULT_DATA_SCIENCE_TEAM, ...PROPOSAL_TOOL_NAMES]);
/** Model ↔ tool rounds per turn before the run is stopped (the original's max_tool_iterations). */
export const MAX_TOOL_ROUNDS = 10;

/**
 * The main conversational agent: a LangChain agent loop over the chosen chat model with the
 * Architect's tools — the catalog tools (answered by the Librarian) and the data science team.
 * Its prompt carries a compact summary of the home from the Librarian's catalog. Streams the
 * model's answer as `token` events, a sentence at a time once its figures are checked against the
 * tool results (see `CheckedAnswer`), and the events of the agents its tools call (tool_start/
 * tool_end, delegation, the DS team's progress). Computed reports are authoritative: the user
 * always gets the team's report verbatim, whatever the model wrote around it.
 */
@Injectable()
@AetherAgent({ name: 'architect', card: ARCHITECT_CARD })
export class ArchitectAgent implements Agent {
  readonly name = 'architect' as const;
  /** A turn that proposes a change waits for the person's decision: over A2A its task ends input-required. */
  readonly pausesForApproval = true;
  private readonly logger = new Logger('Architect');

  constructor(
    @Inject(ChatModelFactory) private readonly models: ChatModelFactory,
    @InjectAgent('ds-orchestrator') private readonly dataScienceTeam: AgentClient,
    /** The catalog's owner: the catalog tools and the home summary query it. */
    @InjectAgent('librarian') private readonly librarian: AgentClient,
    /** Per process (one agent instance per process), so the summary is shared across conversations. */
    @Inject(HomeSummaryCache) private readonly homeSummary = new HomeSummaryCache(librarian),
    /** Owns proposals: the only way the Architect's designs reach Home Assistant, after a person approves them. */
    @InjectAgent('developer') private readonly developer?: AgentClient,
  ) {}

  async *run(request: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    // "approve" / "reject" / "roll back" sent on a waiting task (A2A) is the person's decision, carried out by the Developer.
    const decided = await this.decision(request, signal);
    if (decided) return yield* decided.stream(request, { signal });

    let home: HomeContext | undefined;
    try {
      home = await this.homeSummary.get(request.context, signal);
    } catch (error) {
      if (signal.aborted || (error instanceof AgentError && error.code === 'cancelled')) throw this.toAgentError(error, signal);
      // The tools still work (or report their own errors); only the prompt's overview is missing.
      yield {
        type: 'error',
        agent: this.name,
        code: 'upstream_error',
        recoverable: true,
        content: `Home context degraded: the catalog summary is unavailable (${error instanceof Error ? error.message : String(error)}); answering without it.`,
      };
    }

    const model = this.models.create(this.name, { requestedModel: request.context.model, offlinePolicy: architectOfflinePolicy });
    const tools: ClientTool[] = createArchitectTools({
      librarian: this.librarian,
      dataScienceTeam: this.dataScienceTeam,
      developer: this.developer,
      context: request.context,
      signal,
    });
    const systemPrompt = buildArchitectSystemPrompt(home?.text, promptClockLine(new Date(), home?.timeZone));
    const agent = createAgent({
      model,
      tools,
      systemPrompt,
      middleware: [repairModelReplies, propagateAgentErrors],
    });
    const messages = [...toMessages(request.history.slice(-MAX_HISTORY_MESSAGES)), new HumanMessage(request.message)];

    // The figures the model may state: those of the question, the conversation, its prompt (the
    // home summary, the date and time) and (added as they arrive) every tool result of this turn.
    const answer = new AnswerAssembler(
      this.name,
      [request.message, ...request.history.map((turn) => turn.content), systemPrompt],
      REPORT_TOOLS,
      (message) => this.logger.warn(message),
    );

    try {
      // 'messages' streams the model's output as it is generated, and the tools' results; 'custom'
      // carries the events tools emit through their stream writer, in the order they happen.
      const stream = await agent.stream(
        { messages },
        {
          streamMode: ['messages', 'custom'],
          signal,
          recursionLimit: 2 * MAX_TOOL_ROUNDS + 1,
          // Only a provider's model can stop at its output limit; the offline model never does.
          ...(model._llmType() === OFFLINE_MODEL_ID ? {} : { callbacks: [answer.finishReasons] }),
        },
      );
      for await (const [mode, chunk] of stream) {
        if (mode === 'custom') {
          if (isAgentEvent(chunk)) yield chunk;
          continue;
        }
        const [message, metadata] = chunk;
        if (ToolMessage.isInstance(message)) answer.toolResult(message);
        else if (isOwnModelOutput(metadata)) yield* answer.modelOutput(message, metadata);
      }
    } catch (error) {
      throw this.toAgentError(error, signal);
    }
    yield* answer.finish();
  }

  /** The waiting task was cancelled: its proposals that still wait for a decision are rejected. */
  async cancelWaiting(request: AgentRequest): Promise<void> {
    if (!this.developer) return;
    for (const proposal of await this.proposalsOf(request, 'proposed', new AbortController().signal)) {
      await this.developer.send({ message: 'reject', history: [], data: { action: 'reject', proposalId: proposal.id, reason: 'The task that proposed it was cancelled.' }, context: request.context });
    }
  }

  private async decision(request: AgentRequest, signal: AbortSignal): Promise<ProposalDecisionClient | undefined> {
    const decision = this.developer ? readChatDecision(request.message) : undefined;
    if (!decision || !this.developer) return undefined;
    let proposals: Proposal[];
    try {
      proposals = await this.proposalsOf(request, decision.decision === 'rollback' ? 'deployed' : 'proposed', signal);
    } catch (error) {
      if (signal.aborted) throw this.toAgentError(error, signal);
      // "yes" may just answer a question: without the proposals the model answers it (and can approve nothing).
      this.logger.warn(`could not read the conversation's proposals for "${decision.decision}": ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const target = decisionTarget(proposals, decision.named);
    return target ? new ProposalDecisionClient(this.developer, decision.decision, target) : undefined;
  }

  /** The caller's proposals of this conversation in `status`, newest first. */
  private async proposalsOf(request: AgentRequest, status: ProposalStatus, signal: AbortSignal): Promise<Proposal[]> {
    const result = await this.developer!.send(
      { message: 'list', history: [], data: { action: 'list', status, conversationId: request.context.conversationId }, context: request.context },
      { signal },
    );
    const outcome = readDeveloperOutcome(result.data, 'developer');
    return 'proposals' in outcome ? outcome.proposals : [];
  }

  private toAgentError(error: unknown, signal: AbortSignal): AgentError {
    const agentError = findAgentError(error);
    if (agentError) return agentError;
    if (signal.aborted) return new AgentError('cancelled', 'The request was cancelled.', this.name);
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === 'GraphRecursionError') {
      return new AgentError('internal_error', `The Architect stopped after ${MAX_TOOL_ROUNDS} tool rounds without reaching an answer.`, this.name);
    }
    return new AgentError('upstream_error', `The language model call failed: ${message}`, this.name);
  }
}

/** Name of `createAgent`'s model node (not exported by langchain). */
const MODEL_NODE = 'model_request';

/**
 * Whether a streamed message comes from this agent's own model calls. In-process, an agent called
 * from a tool runs in the tool's async context, so any LangChain model it streams would surface in
 * this graph's 'messages' stream (tagged with the tools node) and leak into the answer.
 */
function isOwnModelOutput(metadata: Record<string, unknown> | undefined): boolean {
  const namespace = metadata?.['langgraph_checkpoint_ns'];
  return metadata?.['langgraph_node'] === MODEL_NODE && !(typeof namespace === 'string' && namespace.includes('|'));
}

function toMessages(history: readonly ChatTurn[]): BaseMessage[] {
  return history.map((turn) => {
    switch (turn.role) {
      case 'user':
        return new HumanMessage(turn.content);
      case 'assistant':
        return new AIMessage(turn.content);
      case 'system':
        return new SystemMessage(turn.content);
    }
  });
}
