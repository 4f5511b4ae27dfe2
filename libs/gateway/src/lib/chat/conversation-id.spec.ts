import { deriveConversationId } from './conversation-id';

const UUID_V8 = /^[\da-f]{8}-[\da-f]{4}-8[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/;

describe('deriveConversationId', () => {
  it('is a stable UUID-shaped id for the same caller and first message', () => {
    const id = deriveConversationId('key-1234abcd', 'Analyze my energy usage');
    expect(id).toMatch(UUID_V8);
    expect(deriveConversationId('key-1234abcd', 'Analyze my energy usage')).toBe(id);
  });

  it('differs by first message and by caller', () => {
    const id = deriveConversationId('key-1234abcd', 'hi');
    expect(deriveConversationId('key-1234abcd', 'hi!')).not.toBe(id);
    expect(deriveConversationId('anonymous', 'hi')).not.toBe(id);
  });
});
