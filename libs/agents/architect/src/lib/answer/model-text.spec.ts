import { ModelTextSplitter } from './model-text';
import { textToolCalls } from './text-tool-calls';

function split(pieces: string[]) {
  const splitter = new ModelTextSplitter();
  let answer = '';
  let thinking = '';
  for (const piece of [...pieces.map((p) => splitter.push(p)), splitter.end()]) {
    answer += piece.answer;
    thinking += piece.thinking;
  }
  return { answer, thinking };
}

describe('ModelTextSplitter', () => {
  it('takes <think> blocks out of the answer, tags split anywhere', () => {
    expect(split(['<', 'think>weigh', 'ing</thi', 'nk>', 'Two lights', ' are on.'])).toEqual({ answer: 'Two lights are on.', thinking: 'weighing' });
  });

  it('hides <tool_call> blocks and everything after [TOOL_CALLS] or <|python_tag|>', () => {
    expect(split(['Checking.<tool_', 'call>{"name":"x"}</tool_call> Done.'])).toEqual({ answer: 'Checking. Done.', thinking: '' });
    expect(split(['Sure.[TOOL_', 'CALLS][{"name":"x"}]'])).toEqual({ answer: 'Sure.', thinking: '' });
    expect(split(['<|python_tag|>{"name":"x"}'])).toEqual({ answer: '', thinking: '' });
  });

  it('keeps text that only looks like the start of a tag', () => {
    expect(split(['a < b and 3 <', 't'])).toEqual({ answer: 'a < b and 3 <t', thinking: '' });
  });
});

describe('textToolCalls', () => {
  it.each([
    ['<tool_call>{"name": "get_entity_state", "arguments": {"entity_id": "lock.front"}}</tool_call>'],
    ['[TOOL_CALLS][{"name": "get_entity_state", "arguments": {"entity_id": "lock.front"}}]'],
    ['<|python_tag|>{"name": "get_entity_state", "parameters": {"entity_id": "lock.front"}}'],
    ['<tool_call>{"name": "get_entity_state", "arguments": "{\\"entity_id\\": \\"lock.front\\"}"}</tool_call>'],
  ])('reads %s', (text) => {
    expect(textToolCalls(text)).toEqual({ text: '', calls: [{ id: expect.stringMatching(/^call_/), name: 'get_entity_state', args: { entity_id: 'lock.front' }, type: 'tool_call' }] });
  });

  it('finds none in plain text or broken JSON', () => {
    expect(textToolCalls('Two lights are on.')).toBeUndefined();
    expect(textToolCalls('<tool_call>{"name": </tool_call>')).toBeUndefined();
  });
});
