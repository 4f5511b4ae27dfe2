import type { AgentName } from './agent-names';
import type { ProposalKind, ProposalRisk, ProposalStatus } from './proposals';

/**
 * Typed events an agent emits while it works. They cross every hop unchanged: in-process they are
 * passed as objects, over A2A tokens travel as text artifact chunks and every other event as a data
 * part carrying exactly this object. `agent` is always the agent that produced the event, so events
 * forwarded from a nested agent keep their origin.
 */
export type AgentEvent =
  | TokenEvent
  | AgentStartEvent
  | AgentEndEvent
  | RoutingEvent
  | DelegationEvent
  | ToolStartEvent
  | ToolEndEvent
  | StatusEvent
  | ThinkingEvent
  | ResultEvent
  | UsageEvent
  | ProposalEvent
  | ImageEvent
  | ArtifactEvent
  | ErrorEvent;

/** A piece of the agent's user-facing answer, emitted as soon as it is produced. */
export interface TokenEvent {
  type: 'token';
  agent: AgentName;
  content: string;
}
export interface AgentStartEvent {
  type: 'agent_start';
  agent: AgentName;
  content?: string;
}
export interface AgentEndEvent {
  type: 'agent_end';
  agent: AgentName;
  content?: string;
}
/** The orchestrator's intent classification. */
export interface RoutingEvent {
  type: 'routing';
  agent: AgentName;
  target: AgentName;
  confidence: number;
  reason: string;
}
/** `agent` hands work to `target` (another agent, or a named specialist such as "energy"). */
export interface DelegationEvent {
  type: 'delegation';
  agent: AgentName;
  target: string;
  content: string;
}
export interface ToolStartEvent {
  type: 'tool_start';
  agent: AgentName;
  tool: string;
  /** Arguments, JSON-encoded and truncated for display. */
  args: string;
}
export interface ToolEndEvent {
  type: 'tool_end';
  agent: AgentName;
  tool: string;
  /** Result preview, truncated for display. */
  result: string;
}
export interface StatusEvent {
  type: 'status';
  agent: AgentName;
  content: string;
}
export interface ThinkingEvent {
  type: 'thinking';
  agent: AgentName;
  content: string;
}
/**
 * Structured output of an agent for its caller (e.g. the energy analyst's computed figures).
 * Callers read it from `AgentCallResult.data`; the gateway does not render it.
 */
export interface ResultEvent {
  type: 'result';
  agent: AgentName;
  data: Record<string, unknown>;
}
/**
 * The token usage one model call reported (the provider's own counts, never estimates): the gateway
 * records it per key, conversation, agent and model. `reasoningTokens` are part of
 * `completionTokens` and `cachedTokens` part of `promptTokens`, as the provider reports them.
 * Not rendered to the user.
 */
export interface UsageEvent {
  type: 'usage';
  agent: AgentName;
  model: string;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  cachedTokens: number;
}

/**
 * A proposal reached a status a person must see: `approval_required` (stored as `proposed`: it
 * waits for an approval), `deployed` (it is live in HA), `rolled_back` (HA is back to its
 * snapshot). The gateway shows it in the stream and in `X-Aether-Events`; the full proposal is
 * in the store (`/api/v1/proposals/:id`).
 */
export interface ProposalEvent {
  type: 'approval_required' | 'deployed' | 'rolled_back';
  agent: AgentName;
  proposalId: string;
  kind: ProposalKind;
  title: string;
  status: ProposalStatus;
  risk: ProposalRisk;
}

/** The picture formats agents make (charts are SVG: text, small, sharp at any size). */
export const IMAGE_MEDIA_TYPES = ['image/svg+xml', 'image/png'] as const;
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];

export function isImageMediaType(value: unknown): value is ImageMediaType {
  return typeof value === 'string' && (IMAGE_MEDIA_TYPES as readonly string[]).includes(value);
}

/**
 * A picture an agent made for the answer (a chart), with its bytes. Over A2A it travels as a file
 * part. The agent that keeps its run's records (the DS orchestrator, with the team report) keeps it
 * and passes an `artifact` event on in its place, so the bytes cross one hop, not every hop.
 */
export interface ImageEvent {
  type: 'image';
  agent: AgentName;
  /** What it shows, e.g. "Daily energy use, last 7 days": the image's alt text and title. */
  title: string;
  mediaType: ImageMediaType;
  /** The image, base64-encoded. */
  data: string;
}

/**
 * A kept picture the answer shows: the gateway serves it at `/api/v1/artifacts/:id` to the key that
 * asked, or to whoever has its link with `accessToken` (a chat UI loads images without the API key),
 * and appends it to the answer as a Markdown image.
 */
export interface ArtifactEvent {
  type: 'artifact';
  agent: AgentName;
  artifactId: string;
  title: string;
  mediaType: ImageMediaType;
  /** A random secret of this artifact: its link works without a key. */
  accessToken: string;
}

/** A failure. An agent that emits an unrecoverable error ends its run with it. */
export interface ErrorEvent {
  type: 'error';
  agent: AgentName;
  content: string;
  code: AgentErrorCode;
  recoverable?: boolean;
}

export type AgentErrorCode =
  /** The agent (or a service it needs) could not be reached, or its circuit breaker is open. */
  | 'agent_unavailable'
  /** The agent sent nothing for its idle timeout, or the request's deadline passed. */
  | 'timeout'
  /** The connection to the agent broke after its task had started (never retried: it may have run). */
  | 'connection_reset'
  /** The capability asked for is not built yet / not offered by this agent. */
  | 'not_implemented'
  /** The input was not acceptable to the agent. */
  | 'invalid_input'
  /** The call was cancelled by its caller. */
  | 'cancelled'
  /** A dependency (Home Assistant, the LLM) failed. */
  | 'upstream_error'
  /** The agent's own database did not answer (the work may be sent again once it is back). */
  | 'storage_unavailable'
  | 'internal_error';

export type AgentEventType = AgentEvent['type'];

export function isAgentEvent(value: unknown): value is AgentEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { agent?: unknown }).agent === 'string'
  );
}
