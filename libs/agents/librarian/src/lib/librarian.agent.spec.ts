import { AgentError, agentCardToken, agentProviderToken, type Agent, type AgentCardSpec } from '@aether/core';
import { Test } from '@nestjs/testing';
import { LibrarianAgent, LIBRARIAN_NOT_AVAILABLE } from './librarian.agent';
import { LibrarianAgentModule } from './librarian-agent.module';

describe('LibrarianAgent', () => {
  it('fails every request with a clear not_implemented error', async () => {
    const events = new LibrarianAgent().run({ message: 'hello', history: [], context: { conversationId: 'c1', userId: 'u1' } }, new AbortController().signal);
    await expect(events[Symbol.asyncIterator]().next()).rejects.toEqual(new AgentError('not_implemented', LIBRARIAN_NOT_AVAILABLE, 'librarian'));
    expect(LIBRARIAN_NOT_AVAILABLE).toMatch(/ is not available yet in this version of Aether\.$/);
  });

  it('is provided with its card by LibrarianAgentModule', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [LibrarianAgentModule] }).compile();
    expect(moduleRef.get<Agent>(agentProviderToken('librarian'))).toBeInstanceOf(LibrarianAgent);
    const card = moduleRef.get<AgentCardSpec>(agentCardToken('librarian'));
    expect(card.name).toBe('librarian');
    expect(card.skills.map((s) => s.id)).toEqual(['entity_discovery', 'entity_sync']);
  });
});
