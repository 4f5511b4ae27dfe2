import type { CatalogEntityView } from '@aether/core';
import { ToolMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { DEMO_FIXTURE, FixtureLibrarianClient, type LibrarianFixture } from '../testing/fixture-librarian.client';
import { CATALOG_TOOL_NAMES, createCatalogTools } from './catalog.tools';

const context = { conversationId: 'conv-1', userId: 'alice' };

function toolsFor(fixture: LibrarianFixture = DEMO_FIXTURE) {
  const librarian = new FixtureLibrarianClient(fixture);
  const tools = new Map(createCatalogTools({ librarian, context, signal: new AbortController().signal }).map((t) => [t.name, t]));
  /** Runs a tool the way the agent's tool node does (a tool call), returning its ToolMessage. */
  const run = async (name: string, args: Record<string, unknown>): Promise<ToolMessage> => {
    const tool = tools.get(name) as StructuredToolInterface;
    return (await tool.invoke({ id: 'call-1', name, args, type: 'tool_call' })) as ToolMessage;
  };
  return { librarian, run };
}

describe('the catalog tools', () => {
  it('are the six read-only catalog queries', () => {
    expect(createCatalogTools({ librarian: new FixtureLibrarianClient(DEMO_FIXTURE), context, signal: new AbortController().signal }).map((t) => t.name)).toEqual([
      ...CATALOG_TOOL_NAMES,
    ]);
  });

  it('search_entities sends the words and filters, and lists one line per entity', async () => {
    const { librarian, run } = toolsFor();
    const message = await run('search_entities', { query: 'front door' });
    expect(librarian.queries).toStrictEqual([{ op: 'search_entities', query: 'front door', limit: 50 }]);
    expect(message.text).toBe(
      [
        '2 entities matching "front door" (states from the catalog snapshot; use get_entity_state for a current state):',
        'lock.front_door — Front Door Lock: locked (Hallway)',
        'binary_sensor.front_door — Front Door: off (Hallway)',
      ].join('\n'),
    );
    expect(message.artifact).toMatchObject({ op: 'search_entities', total: 2, live: false });
  });

  it('get_entity_state reads one entity with its unit, device and attributes', async () => {
    const { librarian, run } = toolsFor();
    const message = await run('get_entity_state', { entity_id: 'sensor.bedroom_temperature' });
    expect(librarian.queries).toEqual([{ op: 'get_entity_state', entityId: 'sensor.bedroom_temperature' }]);
    expect(message.text).toBe(
      [
        'sensor.bedroom_temperature — Bedroom Temperature: 19.5 °C (Bedroom) (live from Home Assistant)',
        'last changed: 2026-11-29T11:00:00.000Z',
        'attributes: unit_of_measurement=°C, device_class=temperature',
      ].join('\n'),
    );
    expect((await run('get_entity_state', { entity_id: 'light.attic' })).text).toBe('No entity light.attic in the catalog. Use search_entities to find the right entity id.');
  });

  it('get_entity_state refuses something that is not an entity id before asking the Librarian', async () => {
    const { librarian, run } = toolsFor();
    await expect(run('get_entity_state', { entity_id: 'the front door' })).rejects.toThrow(/did not match expected schema/);
    expect(librarian.queries).toHaveLength(0);
  });

  it('list_entities_by_domain with a state filter is live, and long lists are capped with a count of the rest', async () => {
    const lights: CatalogEntityView[] = Array.from({ length: 73 }, (_, i) => ({
      entity_id: `light.lamp_${i}`,
      name: `Lamp ${i}`,
      domain: 'light',
      state: i < 60 ? 'on' : 'off',
      area: null,
      device: null,
      unit: null,
    }));
    const { librarian, run } = toolsFor({ entities: lights });
    const message = await run('list_entities_by_domain', { domain: 'light', stateFilter: 'on' });
    expect(librarian.queries).toStrictEqual([{ op: 'list_entities_by_domain', domain: 'light', stateFilter: 'on', limit: 50 }]);
    const lines = message.text.split('\n');
    expect(lines[0]).toBe('60 light entities with state "on" (states read live from Home Assistant):');
    expect(lines[1]).toBe('light.lamp_0 — Lamp 0: on');
    expect(lines).toHaveLength(1 + 50 + 1);
    expect(lines.at(-1)).toBe('… and 10 more');
  });

  it('get_domain_summary counts states and areas', async () => {
    const { run } = toolsFor();
    expect((await run('get_domain_summary', { domain: 'light' })).text).toBe(
      ['light: 3 entities (states from the catalog snapshot).', 'States: on 2, off 1.', 'Areas: Kitchen 1, Living Room 1, Bedroom 1.'].join('\n'),
    );
  });

  it('list_automations and get_automation_config show the automations and one configuration', async () => {
    const { librarian, run } = toolsFor();
    expect((await run('list_automations', {})).text).toBe(
      [
        '2 automations:',
        'automation.morning_lights — Morning lights: on (mode single; triggers: time; last triggered 2026-11-29T06:30:00.000Z)',
        'automation.night_lock — Lock the door at night: off (mode single; triggers: time; last triggered never)',
      ].join('\n'),
    );
    const config = await run('get_automation_config', { automation: 'automation.morning_lights' });
    expect(librarian.queries.at(-1)).toEqual({ op: 'get_automation_config', automation: 'automation.morning_lights' });
    expect(config.text).toContain('config id: 1700000000001\nconfig:\n{\n  "alias": "Morning lights"');
    expect((await run('get_automation_config', { automation: 'automation.night_lock' })).text).toContain('config: not available from Home Assistant');
  });

  it('throws the Librarian failure for the tool node to report to the model', async () => {
    const { librarian, run } = toolsFor();
    librarian.fail.list_automations = new Error('connection reset');
    await expect(run('list_automations', {})).rejects.toMatchObject({ name: 'CatalogQueryError', message: 'The Librarian could not answer: connection reset' });
  });
});
