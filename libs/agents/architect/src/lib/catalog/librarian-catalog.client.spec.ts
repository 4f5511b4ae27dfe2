import { AgentError, CATALOG_REQUEST_KEY, type AgentClient } from '@aether/core';
import { CatalogQueryError, queryCatalog } from './librarian-catalog.client';

const context = { conversationId: 'conv-1', userId: 'alice' };

/** A Librarian that answers every call with `data`, or fails with `error`. */
function librarian(outcome: { data?: Record<string, unknown>; error?: unknown }): AgentClient & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    agent: 'librarian',
    sent,
    stream: () => {
      throw new Error('catalog queries use send');
    },
    send: async (request) => {
      sent.push(request);
      if (outcome.error) throw outcome.error;
      return { text: '', data: outcome.data ?? {}, events: [], taskId: 't' };
    },
  };
}

describe('queryCatalog', () => {
  it('sends the query under the catalog key with the caller context and returns the typed result', async () => {
    const result = { op: 'list_automations', automations: [] };
    const client = librarian({ data: { [CATALOG_REQUEST_KEY]: result } });
    await expect(queryCatalog(client, { op: 'list_automations' }, context)).resolves.toEqual(result);
    expect(client.sent).toEqual([{ message: 'Catalog query: list_automations', history: [], data: { catalog: { op: 'list_automations' } }, context }]);
  });

  it('rejects an answer without a matching catalog result', async () => {
    const client = librarian({ data: { [CATALOG_REQUEST_KEY]: { op: 'list_automations', automations: [] } } });
    await expect(queryCatalog(client, { op: 'get_domain_summary', domain: 'light' }, context)).rejects.toEqual(
      new CatalogQueryError('The Librarian answered the get_domain_summary query without a matching catalog result.', 'internal_error'),
    );
    await expect(queryCatalog(librarian({ data: {} }), { op: 'list_automations' }, context)).rejects.toBeInstanceOf(CatalogQueryError);
  });

  it('turns Librarian failures into CatalogQueryErrors but keeps cancellation an AgentError', async () => {
    const failed = queryCatalog(librarian({ error: new AgentError('not_implemented', 'not built', 'librarian') }), { op: 'list_automations' }, context);
    await expect(failed).rejects.toEqual(new CatalogQueryError('The Librarian could not answer (not_implemented): not built', 'not_implemented'));
    await expect(failed).rejects.not.toBeInstanceOf(AgentError);

    const cancelled = new AgentError('cancelled', 'The call was cancelled.', 'librarian');
    await expect(queryCatalog(librarian({ error: cancelled }), { op: 'list_automations' }, context)).rejects.toBe(cancelled);

    const controller = new AbortController();
    controller.abort();
    await expect(queryCatalog(librarian({ error: new Error('socket closed') }), { op: 'list_automations' }, context, controller.signal)).rejects.toMatchObject({
      code: 'cancelled',
    });
  });
});
