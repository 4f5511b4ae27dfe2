import { agentCardToken, agentProviderToken } from '@aether/core';
import { Module } from '@nestjs/common';
import { LibrarianAgent } from './librarian.agent';
import { LIBRARIAN_CARD } from './librarian.card';

/** Provides the Librarian agent and its card; constructing it does no I/O. */
@Module({
  providers: [
    { provide: agentProviderToken('librarian'), useFactory: () => new LibrarianAgent() },
    { provide: agentCardToken('librarian'), useValue: LIBRARIAN_CARD },
  ],
  exports: [agentProviderToken('librarian'), agentCardToken('librarian')],
})
export class LibrarianAgentModule {}
