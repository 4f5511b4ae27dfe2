import { AgentError } from '@aether/core';
import { DEMO_FIXTURE, FixtureLibrarianClient } from '../testing/fixture-librarian.client';
import { HomeSummaryCache, renderHomeSummary } from './home-summary';

const context = { conversationId: 'c', userId: 'u' };
const signal = new AbortController().signal;

describe('renderHomeSummary', () => {
  it('lists counts, the largest domains first, and area and floor names', () => {
    expect(
      renderHomeSummary({
        entity_count: 12,
        domains: { light: 3, sensor: 7, lock: 1, switch: 1 },
        areas: ['Kitchen', 'Hallway'],
        floors: ['Ground floor'],
        device_count: 5,
        automation_count: 2,
        script_count: 1,
        scene_count: 0,
        last_discovery_at: null,
      }),
    ).toBe(
      [
        '- Counts: entities 12, devices 5, automations 2, scripts 1, scenes 0.',
        '- Entities per domain: sensor 7, light 3, lock 1, switch 1.',
        '- Areas (2): Kitchen, Hallway.',
        '- Floors (1): Ground floor.',
        '- Catalog last refreshed: not yet (discovery has not completed).',
      ].join('\n'),
    );
  });
});

describe('HomeSummaryCache', () => {
  it('reuses the summary within its TTL and fetches it again afterwards', async () => {
    const librarian = new FixtureLibrarianClient(DEMO_FIXTURE);
    let now = 1_000;
    const cache = new HomeSummaryCache(librarian, 60_000, () => now);
    const first = await cache.get(context, signal);
    now += 59_999;
    expect(await cache.get(context, signal)).toEqual(first);
    expect(librarian.queries).toEqual([{ op: 'catalog_summary' }]);
    now += 1;
    await cache.get(context, signal);
    expect(librarian.queries).toHaveLength(2);
  });

  it('does not keep a failure: the next call asks again', async () => {
    const librarian = new FixtureLibrarianClient(DEMO_FIXTURE);
    librarian.fail.catalog_summary = new AgentError('agent_unavailable', 'down', 'librarian');
    const cache = new HomeSummaryCache(librarian);
    await expect(cache.get(context, signal)).rejects.toMatchObject({ name: 'CatalogQueryError', message: 'The Librarian could not answer (agent_unavailable): down' });
    delete librarian.fail.catalog_summary;
    await expect(cache.get(context, signal)).resolves.toMatchObject({ text: expect.stringContaining('Entities per domain: light 3') });
  });

  it('gives up on a Librarian that does not answer in time, and passes cancellation through', async () => {
    const calls: AbortSignal[] = [];
    const silent = {
      agent: 'librarian' as const,
      stream: () => {
        throw new Error('catalog queries use send');
      },
      send: (_request: unknown, options?: { signal?: AbortSignal }) => {
        calls.push(options?.signal as AbortSignal);
        return new Promise<never>((_, reject) =>
          options?.signal?.addEventListener('abort', () => reject(new AgentError('cancelled', 'The call was cancelled.', 'librarian')), { once: true }),
        );
      },
    };
    const cache = new HomeSummaryCache(silent, 60_000, Date.now, 50);
    await expect(cache.get(context, signal)).rejects.toMatchObject({ name: 'CatalogQueryError', message: 'The Librarian did not send the catalog summary within 50 ms.' });

    const controller = new AbortController();
    const pending = new HomeSummaryCache(silent, 60_000, Date.now, 60_000).get(context, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
  });
});
