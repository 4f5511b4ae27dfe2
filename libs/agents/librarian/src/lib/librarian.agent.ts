import { AgentError, CATALOG_REQUEST_KEY, truncate, type Agent, type AgentEvent, type AgentRequest } from '@aether/core';
import { HomeAssistantError } from '@aether/home-assistant';
import { AetherAgent } from '@aether/a2a';
import { Injectable } from '@nestjs/common';
import { CatalogQueryHandler } from './catalog-query/catalog-query.handler';
import { parseCatalogQuery } from './catalog-query/catalog-query.schema';
import { LibrarianChatResponder } from './chat/librarian-chat.responder';
import { LIBRARIAN_CARD } from './librarian.card';

/**
 * The Librarian: owns the catalog of the home. A request carrying `data[CATALOG_REQUEST_KEY]` is a
 * catalog query from another agent, answered with a `result` event; any other request is a chat
 * question answered in Markdown built from the catalog. It only reads Home Assistant.
 */
@Injectable()
@AetherAgent({ name: 'librarian', card: LIBRARIAN_CARD })
export class LibrarianAgent implements Agent {
  readonly name = 'librarian' as const;

  constructor(
    private readonly queries: CatalogQueryHandler,
    private readonly chat: LibrarianChatResponder,
  ) {}

  async *run(request: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    try {
      if (request.data && CATALOG_REQUEST_KEY in request.data) {
        const parsed = parseCatalogQuery(request.data[CATALOG_REQUEST_KEY]);
        if (!parsed.ok) throw new AgentError('invalid_input', `Invalid catalog query: ${parsed.problem}`, this.name);
        yield { type: 'tool_start', agent: this.name, tool: `catalog.${parsed.query.op}`, args: truncate(JSON.stringify(parsed.query), 200) };
        const result = await this.queries.answer(parsed.query);
        throwIfAborted(signal);
        yield { type: 'tool_end', agent: this.name, tool: `catalog.${parsed.query.op}`, result: truncate(JSON.stringify(result), 200) };
        yield { type: 'result', agent: this.name, data: { [CATALOG_REQUEST_KEY]: result } };
        return;
      }
      if (!request.message.trim()) throw new AgentError('invalid_input', 'Ask the Librarian a question about your home, e.g. "What devices do I have in the kitchen?"', this.name);
      for await (const event of this.chat.respond(request.message)) {
        throwIfAborted(signal);
        yield event;
      }
    } catch (error) {
      if (error instanceof HomeAssistantError) throw new AgentError('upstream_error', error.message, this.name);
      throw error;
    }
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AgentError('cancelled', 'The Librarian request was cancelled.', 'librarian');
}
