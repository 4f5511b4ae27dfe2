import { AnswerLimiter } from './answer-limiter';
import { estimateTokens } from './token-estimate';

function streamThrough(limiter: AnswerLimiter, pieces: string[]): string {
  let out = '';
  for (const piece of pieces) {
    out += limiter.push(piece);
    if (limiter.done) return out;
  }
  return out + limiter.flush();
}

describe('AnswerLimiter', () => {
  it('cuts at max tokens as usage counts them, and says length', () => {
    const limiter = new AnswerLimiter({ maxTokens: 3, stop: [] });
    const out = streamThrough(limiter, ['You used ', '12.5 kWh ', 'yesterday.']);
    expect(out).toBe('You used 12.');
    expect(estimateTokens(out)).toBeLessThanOrEqual(3);
    expect(limiter.finishReason).toBe('length');
  });

  it('leaves an answer within the budget alone', () => {
    const limiter = new AnswerLimiter({ maxTokens: 100, stop: [] });
    expect(limiter.apply('short')).toBe('short');
    expect(limiter.finishReason).toBe('stop');
  });

  it('cuts before a stop sequence split across pieces, never sending its start', () => {
    const limiter = new AnswerLimiter({ stop: ['\n\nSources'] });
    const sent: string[] = [];
    for (const piece of ['Lights on: kitchen.', '\n', '\nSour', 'ces: HA']) sent.push(limiter.push(piece));
    expect(sent.join('')).toBe('Lights on: kitchen.');
    expect(sent).toEqual(['Lights on: kitchen.', '', '', '']);
    expect(limiter.done).toBe(true);
    expect(limiter.finishReason).toBe('stop');
  });

  it('releases a held tail that was not a stop sequence', () => {
    const limiter = new AnswerLimiter({ stop: ['END'] });
    expect(streamThrough(limiter, ['the E', 'nd of it', ' E'])).toBe('the End of it E');
    expect(limiter.done).toBe(false);
  });

  it('uses the earliest of several stop sequences', () => {
    expect(new AnswerLimiter({ stop: ['c', 'b'] }).apply('abcd')).toBe('a');
  });
});
