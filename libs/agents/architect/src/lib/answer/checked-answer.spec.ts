import { CheckedAnswer } from './checked-answer';
import { FigureSources } from '@aether/core';

const sources = () => new FigureSources(['Total: 12.345 kWh; fridge 2.1 kWh']);

describe('CheckedAnswer', () => {
  it('releases a sentence or a line at a time, never a figure cut in two', () => {
    const answer = new CheckedAnswer(sources());
    expect(answer.push('You used 12.')).toBe('');
    expect(answer.push('3 kWh. The fri')).toBe('You used 12.3 kWh. ');
    expect(answer.push('dge used 2.1 kWh\n| a |')).toBe('The fridge used 2.1 kWh\n');
    expect(answer.finish()).toBe('| a |');
    expect(answer.released).toBe('You used 12.3 kWh. The fridge used 2.1 kWh\n| a |');
    expect(answer.unverifiedFigures).toBeUndefined();
  });

  it('withholds the first sentence with a figure no source gives, and everything after it', () => {
    const answer = new CheckedAnswer(sources());
    expect(answer.push('You used 12.3 kWh. It cost €3.10. ')).toBe('You used 12.3 kWh. ');
    expect(answer.push('The fridge used 2.1 kWh. ')).toBe('');
    expect(answer.finish()).toBe('');
    expect(answer.released).toBe('You used 12.3 kWh. ');
    expect(answer.unverifiedFigures).toEqual(['3.10']);
  });

  it('checks what is still held at the end', () => {
    const answer = new CheckedAnswer(sources());
    answer.push('Roughly 12.4 kWh');
    expect(answer.finish()).toBe('');
    expect(answer.unverifiedFigures).toEqual(['12.4']);
  });
});
