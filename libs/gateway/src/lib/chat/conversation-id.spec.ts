import { conversationOpening, newConversationId } from './conversation-id';

describe('conversation ids', () => {
  it('gives every unnamed conversation its own random id', () => {
    expect(newConversationId()).not.toBe(newConversationId());
    expect(newConversationId()).toMatch(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/);
  });

  it('fingerprints the first exchange: the same question with another answer is another conversation', () => {
    const opening = conversationOpening('What lights are on?', 'The porch light.');
    expect(conversationOpening('What lights are on?', 'The porch light.')).toBe(opening);
    expect(conversationOpening('What lights are on?', 'None.')).not.toBe(opening);
    // No ambiguity from where one text ends and the other starts.
    expect(conversationOpening('a\nb', 'c')).not.toBe(conversationOpening('a', 'b\nc'));
  });
});
