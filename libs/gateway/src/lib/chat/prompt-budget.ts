import type { ChatTurn } from '@aether/core';

export interface PromptBudget {
  /** Conversation turns (user and assistant) sent at most. */
  maxTurns: number;
  /** Characters of those turns at most. */
  maxChars: number;
}

/**
 * The history the agents get from a long conversation: the newest user/assistant turns that fit in
 * both budgets (a turn that would overflow ends the walk back, so what is kept is contiguous);
 * older ones are left out of the request, never out of storage. System turns are the client's
 * instructions and are always kept, in place. Open WebUI resends the whole chat every turn, so
 * without this a long chat would grow every agent request without bound.
 */
export function fitPromptBudget(history: readonly ChatTurn[], budget: PromptBudget): { history: ChatTurn[]; dropped: number } {
  const keep = new Array<boolean>(history.length).fill(false);
  let turns = 0;
  let chars = 0;
  let full = false;
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn.role === 'system') {
      keep[i] = true;
      continue;
    }
    if (full || turns + 1 > budget.maxTurns || chars + turn.content.length > budget.maxChars) {
      full = true;
      continue;
    }
    keep[i] = true;
    turns += 1;
    chars += turn.content.length;
  }
  const kept = history.filter((_turn, i) => keep[i]);
  return { history: kept, dropped: history.length - kept.length };
}
