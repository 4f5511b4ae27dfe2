import { agentDescriptor, isAgentName, type AgentEvent } from '@aether/core';

function label(name: string): string {
  return isAgentName(name) ? agentDescriptor(name).label : name;
}

/**
 * Renders agent progress as `reasoning_content` text for OpenAI clients: one line per routing,
 * delegation, tool or status event ("Orchestrator → Architect (confidence 0.90): energy question").
 * Model thinking is passed through as it streams; a progress line that follows it starts on a new
 * line. Tokens and structured results are not progress, so they render as nothing.
 */
export class ProgressRenderer {
  private atLineStart = true;

  render(event: AgentEvent): string | undefined {
    if (event.type === 'thinking') {
      if (!event.content) return undefined;
      this.atLineStart = event.content.endsWith('\n');
      return event.content;
    }
    const line = progressLine(event);
    if (line === undefined) return undefined;
    const text = `${this.atLineStart ? '' : '\n'}${line}\n`;
    this.atLineStart = true;
    return text;
  }
}

function progressLine(event: AgentEvent): string | undefined {
  const who = label(event.agent);
  switch (event.type) {
    case 'routing':
      return `${who} → ${label(event.target)} (confidence ${event.confidence.toFixed(2)}): ${event.reason}`;
    case 'delegation':
      return `${who} → ${label(event.target)}: ${event.content}`;
    case 'tool_start':
      return `${who}: running ${event.tool}…`;
    case 'tool_end':
      return `${who}: ${event.tool} finished`;
    case 'status':
      return event.content ? `${who}: ${event.content}` : undefined;
    case 'agent_start':
      return `${who}: ${event.content || 'started'}`;
    case 'agent_end':
      return `${who}: ${event.content || 'done'}`;
    case 'error':
      return `${who}: error (${event.code}): ${event.content}`;
    case 'approval_required':
      return `${who}: proposal "${event.title}" (${event.proposalId}) waits for your approval${event.risk.level === 'high' ? ' — high risk' : ''}`;
    case 'deployed':
      return `${who}: deployed "${event.title}" (${event.proposalId})`;
    case 'rolled_back':
      return `${who}: rolled back "${event.title}" (${event.proposalId})`;
    case 'token':
    case 'result':
    case 'thinking':
    case 'usage':
      return undefined;
    default: {
      // Event types added after this gateway was built still show their text, if they have any.
      const content = (event as { content?: unknown }).content;
      return typeof content === 'string' && content ? `${who}: ${content}` : undefined;
    }
  }
}
