import type { ChatTurn } from '@aether/core';
import { fitPromptBudget } from './prompt-budget';

const turn = (role: ChatTurn['role'], content: string): ChatTurn => ({ role, content });

function conversation(pairs: number): ChatTurn[] {
  const turns: ChatTurn[] = [turn('system', 'You are terse.')];
  for (let i = 0; i < pairs; i++) turns.push(turn('user', `question ${i}`), turn('assistant', `answer ${i}`));
  return turns;
}

describe('fitPromptBudget', () => {
  it('keeps the newest turns up to the turn budget and every system turn', () => {
    const { history, dropped } = fitPromptBudget(conversation(10_000), { maxTurns: 4, maxChars: 1_000_000 });
    expect(history).toEqual([
      turn('system', 'You are terse.'),
      turn('user', 'question 9998'),
      turn('assistant', 'answer 9998'),
      turn('user', 'question 9999'),
      turn('assistant', 'answer 9999'),
    ]);
    expect(dropped).toBe(20_000 - 4);
  });

  it('keeps the newest turns that fit the character budget, contiguously', () => {
    const history = [turn('user', 'a'.repeat(50)), turn('assistant', 'b'.repeat(10)), turn('user', 'c'.repeat(30)), turn('assistant', 'd'.repeat(30))];
    // 30 + 30 fit in 65; the 10-char turn would fit too, but it sits behind the 50-char one that does not: a gap would lie about the conversation.
    expect(fitPromptBudget(history, { maxTurns: 100, maxChars: 65 }).history).toEqual(history.slice(2));
    expect(fitPromptBudget(history, { maxTurns: 100, maxChars: 70 }).history).toEqual(history.slice(1));
  });

  it('sends no earlier turns with a zero budget, and everything within budget untouched', () => {
    expect(fitPromptBudget(conversation(3), { maxTurns: 0, maxChars: 1000 }).history).toEqual([turn('system', 'You are terse.')]);
    const short = conversation(3);
    expect(fitPromptBudget(short, { maxTurns: 40, maxChars: 48_000 })).toEqual({ history: short, dropped: 0 });
  });
});
