import { AgentError, truncate, type Agent, type AgentClient, type AgentEvent, type AgentRequest, type ChatTurn } from '@aether/core';
import { AetherAgent } from '@aether/a2a';
import { InjectAgent } from '@aether/agent-runtime';
import { ChatModelFactory } from '@aether/llm';
import { Inject, Injectable } from '@nestjs/common';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { ORCHESTRATOR_CARD } from './orchestrator.card';
import { orchestratorOfflinePolicy } from './orchestrator-offline.policy';
import { ORCHESTRATOR_SYSTEM_PROMPT } from './orchestrator-system-prompt';
import { DEFAULT_ROUTE, isRoutableAgent, type RoutableAgent } from './routable-agents';
import { ROUTE_TO_AGENT, routeToAgentSchema, routeToAgentTool, type RouteToAgentArgs } from './route-to-agent.tool';

/** Earlier turns the classifier sees, enough to place follow-up questions. */
export const CLASSIFIER_HISTORY_TURNS = 6;
/** Confidence cap when the model's answer could not be used as is. */
export const FALLBACK_MAX_CONFIDENCE = 0.4;

export type RoutingClients = Readonly<Record<RoutableAgent, AgentClient>>;

/**
 * The entry agent for `agent: "auto"`: classifies the user's intent with one tool-calling model
 * call, announces the decision (`routing`, `delegation`), then streams the chosen agent's events
 * through unchanged. Failures of the chosen agent fail this run with the same AgentError.
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
  ) {
    this.clients = { architect, librarian, 'dashboard-designer': dashboardDesigner };
  }

  async *run(request: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const route = await this.classify(request, signal);
    yield { type: 'routing', agent: this.name, target: route.agent, confidence: route.confidence, reason: route.reason };
    yield { type: 'delegation', agent: this.name, target: route.agent, content: truncate(request.message, 200) };
    for await (const event of this.clients[route.agent].stream(request, { signal })) yield event;
  }

  /** One model call with `route_to_agent` bound; unusable answers fall back to the generalist. */
  async classify(request: AgentRequest, signal: AbortSignal): Promise<RouteToAgentArgs> {
    const model = this.models.create(this.name, { requestedModel: request.context.model, offlinePolicy: orchestratorOfflinePolicy });
    if (!model.bindTools) {
      throw new AgentError('internal_error', `The chat model ${model.getName()} does not support tool calling, which routing needs.`, this.name);
    }
    const messages: BaseMessage[] = [
      new SystemMessage(ORCHESTRATOR_SYSTEM_PROMPT),
      ...toMessages(request.history.slice(-CLASSIFIER_HISTORY_TURNS)),
      new HumanMessage(request.message),
    ];
    let response: AIMessage;
    try {
      response = await model.bindTools([routeToAgentTool]).invoke(messages, { signal });
    } catch (error) {
      if (signal.aborted) throw new AgentError('cancelled', 'The request was cancelled.', this.name);
      const reason = error instanceof Error ? error.message : String(error);
      return { agent: DEFAULT_ROUTE, confidence: 0, reason: `Classification unavailable (${truncate(reason, 200)}); the Architect handles the request.` };
    }

    const call = response.tool_calls?.find((c) => c.name === ROUTE_TO_AGENT);
    if (!call) {
      return { agent: DEFAULT_ROUTE, confidence: 0.3, reason: `The classifier answered without calling ${ROUTE_TO_AGENT}; the Architect handles the request.` };
    }
    const parsed = routeToAgentSchema.safeParse(call.args);
    if (parsed.success) return parsed.data;

    const { agent, confidence, reason } = call.args as Record<string, unknown>;
    if (isRoutableAgent(agent)) {
      // A usable choice with sloppy details (confidence out of range, no reason): keep the choice.
      return {
        agent,
        confidence: typeof confidence === 'number' && Number.isFinite(confidence) ? Math.max(0, Math.min(1, confidence)) : 0.5,
        reason: typeof reason === 'string' && reason.trim() ? reason : 'The classifier gave no reason.',
      };
    }
    return {
      agent: DEFAULT_ROUTE,
      confidence: typeof confidence === 'number' && Number.isFinite(confidence) ? Math.max(0, Math.min(FALLBACK_MAX_CONFIDENCE, confidence)) : FALLBACK_MAX_CONFIDENCE,
      reason: `The classifier chose ${JSON.stringify(agent ?? null)}, which is not a routable agent; the Architect handles the request.`,
    };
  }
}

function toMessages(history: readonly ChatTurn[]): BaseMessage[] {
  return history
    .filter((turn) => turn.role !== 'system')
    .map((turn) => (turn.role === 'user' ? new HumanMessage(turn.content) : new AIMessage(turn.content)));
}
