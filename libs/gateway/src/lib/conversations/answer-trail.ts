import type { AgentEvent, AgentName, UsageEvent } from '@aether/core';

/** What one answer consisted of, collected from its events: the text and the agents that ran. */
export class AnswerTrail {
  private readonly started: AgentName[] = [];
  text = '';
  /** The provider's usage of every model call made for this answer. */
  readonly usage: UsageEvent[] = [];

  observe(event: AgentEvent): void {
    if (event.type === 'token') this.text += event.content;
    else if (event.type === 'usage') this.usage.push(event);
    // An agent may start more than once in one answer (an analyst per specialist); it ran once as far as the user cares.
    else if (event.type === 'agent_start' && !this.started.includes(event.agent)) this.started.push(event.agent);
  }

  /** Agents in the order they first started. */
  get agents(): AgentName[] {
    return [...this.started];
  }
}
