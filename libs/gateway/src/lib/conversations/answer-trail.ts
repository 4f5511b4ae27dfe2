import type { AgentEvent, AgentName } from '@aether/core';

/** What one answer consisted of, collected from its events: the text and the agents that ran. */
export class AnswerTrail {
  private readonly started: AgentName[] = [];
  text = '';

  observe(event: AgentEvent): void {
    if (event.type === 'token') this.text += event.content;
    // An agent may start more than once in one answer (an analyst per specialist); it ran once as far as the user cares.
    else if (event.type === 'agent_start' && !this.started.includes(event.agent)) this.started.push(event.agent);
  }

  /** Agents in the order they first started. */
  get agents(): AgentName[] {
    return [...this.started];
  }
}
