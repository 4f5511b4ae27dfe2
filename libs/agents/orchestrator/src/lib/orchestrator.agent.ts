import { AgentError, capabilityMenu, truncate, type Agent, type AgentClient, type AgentEvent, type AgentRequest, type ChatTurn } from '@aether/core';
import { AetherAgent } from '@aether/a2a';
import { InjectAgent } from '@aether/agent-runtime';
import { ChatModelFactory, OFFLINE_MODEL_ID, promptClockLine } from '@aether/llm';
import { Inject, Injectable } from '@nestjs/common';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { ORCHESTRATOR_CARD } from './orchestrator.card';
import { orchestratorOfflinePolicy } from './orchestrator-offline.policy';
import { HomeTimeZoneCache } from './home-time-zone';
import { buildOrchestratorSystemPrompt } from './orchestrator-system-prompt';
import { normalizeAgentName, type RoutableAgent } from './routable-agents';
import { classifyIntentByKeywords } from './keyword-intent.classifier';
import { ROUTE_TO_AGENT, routeToAgentSchema, routeToAgentTool, type RouteToAgentArgs } from './route-to-agent.tool';

/** Earlier turns the classifier sees, enough to place follow-up questions. */
export const CLASSIFIER_HISTORY_TURNS = 6;

export type RoutingClients = Readonly<Record<RoutableAgent, AgentClient>>;

/**
 * The entry agent for `agent: "auto"`: classifies the user's intent with one tool-calling model
 * call, announces the decision (`routing`, `delegation`), then streams the chosen agent's events
 * through unchanged. Failures of the chosen agent fail this run with the same AgentError, except
 * `not_implemented` before any answer: that is answered honestly, with what Aether can do.
 */
@Injectable()
@AetherAgent({ name: 'orchestrator', card: ORCHESTRATOR_CARD })
export class OrchestratorAgent implements Agent {
  readonly name = 'orchestrator' as const;
  private readonly clients: RoutingClients;

  constructor(
    @Inject(ChatModelFactory) private readonly models: ChatModelFactory,
    @InjectAgent('architect') architect: AgentClient,
    @InjectAgent('librarian') librarian: AgentClient,
    @InjectAgent('dashboard-designer') dashboardDesigner: AgentClient,
    /** Per process (one agent instance per process): the zone is fetched rarely, off the hot path. */
    @Inject(HomeTimeZoneCache) private readonly homeTimeZone = new HomeTimeZoneCache(librarian),
  ) {
    this.clients = { architect, librarian, 'dashboard-designer': dashboardDesigner };
  }

  async *run(request: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const route = await this.classify(request, signal);
    yield { type: 'routing', agent: this.name, target: route.agent, confidence: route.confidence, reason: route.reason };
    yield { type: 'delegation', agent: this.name, target: route.agent, content: truncate(request.message, 200) };
    let answered = false;
    try {
      for await (const event of this.clients[route.agent].stream(request, { signal })) {
        answered ||= event.type === 'token';
        yield event;
      }
    } catch (error) {
      // A chat asked, in words, for something this version cannot do: that deserves an answer
      // that says so and what it can do, not an error the client shows as a failure.
      if (answered || !(error instanceof AgentError) || error.code !== 'not_implemented') throw error;
      yield { type: 'token', agent: this.name, content: `${error.message}\n\n${capabilityMenu()}` };
    }
  }

  /**
   * One model call with `route_to_agent` bound and, where the server allows, forced
   * (`tool_choice`). Whatever the model does instead — text, JSON in the content, an unknown agent,
   * an error — the keyword classifier decides, and the reason says so: routing never silently
   * defaults.
   */
  async classify(request: AgentRequest, signal: AbortSignal): Promise<RouteToAgentArgs> {
    const model = this.models.create(this.name, { requestedModel: request.context.model, offlinePolicy: orchestratorOfflinePolicy });
    if (!model.bindTools) {
      throw new AgentError('internal_error', `The chat model ${model.getName()} does not support tool calling, which routing needs.`, this.name);
    }
    const history = request.history.slice(-CLASSIFIER_HISTORY_TURNS);
    // The offline model reads no prompt: no reason to ask for the home's zone.
    const timeZone = model._llmType() === OFFLINE_MODEL_ID ? undefined : await this.homeTimeZone.get(request.context, signal);
    const clock = promptClockLine(new Date(), timeZone);
    const messages: BaseMessage[] = [new SystemMessage(buildOrchestratorSystemPrompt(clock)), ...toMessages(history), new HumanMessage(request.message)];
    const fallback = (why: string): RouteToAgentArgs => {
      const earlier = history.filter((turn) => turn.role === 'user').map((turn) => turn.content);
      const route = classifyIntentByKeywords(request.message, earlier);
      return { ...route, reason: `Keyword fallback (${why}): ${route.reason}` };
    };

    let response: AIMessage;
    try {
      response = await this.invokeRouting(model, messages, signal);
    } catch (error) {
      if (signal.aborted) throw new AgentError('cancelled', 'The request was cancelled.', this.name);
      const reason = error instanceof Error ? error.message : String(error);
      return fallback(`classification unavailable: ${truncate(reason, 200)}`);
    }

    const call = response.tool_calls?.find((c) => c.name.trim().toLowerCase() === ROUTE_TO_AGENT);
    if (!call) return fallback(`the model answered without calling ${ROUTE_TO_AGENT}`);
    const args = call.args as Record<string, unknown>;
    const agent = normalizeAgentName(args['agent']);
    if (!agent) return fallback(`the model chose ${JSON.stringify(args['agent'] ?? null)}, which is not a routable agent`);
    const parsed = routeToAgentSchema.safeParse({ ...args, agent });
    if (parsed.success) return parsed.data;
    // A usable choice with sloppy details (confidence out of range, no reason): keep the choice.
    const { confidence, reason } = args;
    return {
      agent,
      confidence: typeof confidence === 'number' && Number.isFinite(confidence) ? Math.max(0, Math.min(1, confidence)) : 0.5,
      reason: typeof reason === 'string' && reason.trim() ? reason : 'The classifier gave no reason.',
    };
  }

  /**
   * Forces the routing call with `tool_choice` when configured; a server that rejects the
   * parameter (400/422, as some llama.cpp and Ollama versions do) is asked again without it.
   */
  private async invokeRouting(model: BaseChatModel, messages: BaseMessage[], signal: AbortSignal): Promise<AIMessage> {
    const bind = model.bindTools!.bind(model);
    if (this.models.forceToolChoice) {
      try {
        return await bind([routeToAgentTool], { tool_choice: ROUTE_TO_AGENT }).invoke(messages, { signal });
      } catch (error) {
        if (signal.aborted || !isRejectedRequest(error)) throw error;
      }
    }
    return bind([routeToAgentTool]).invoke(messages, { signal });
  }
}

/** An HTTP 400/422 from the provider: the request (here, its `tool_choice`) was refused, not the service down. */
function isRejectedRequest(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return status === 400 || status === 422;
}

function toMessages(history: readonly ChatTurn[]): BaseMessage[] {
  return history
    .filter((turn) => turn.role !== 'system')
    .map((turn) => (turn.role === 'user' ? new HumanMessage(turn.content) : new AIMessage(turn.content)));
}
