import type { ProposalDraft } from '@aether/core';
import type { HaEntityState } from '@aether/home-assistant';
import { reviewDashboardDraft } from './dashboard-review';
import type { LiveHome } from './draft-review';

const state = (entity_id: string): HaEntityState => ({ entity_id, state: 'on', attributes: {}, last_changed: '', last_updated: '', context: { id: 'c', parent_id: null, user_id: null } });
const home: LiveHome = { states: ['light.living_room', 'sensor.living_room_temperature', 'climate.living_room', 'lock.front_door'].map(state), services: [] };

function dashboard(config: unknown, urlPath = 'living-room', haId = urlPath): ProposalDraft<'dashboard'> {
  return { kind: 'dashboard', title: 'Living Room', description: '', payload: { urlPath, title: 'Living Room', config: config as Record<string, unknown> }, haId, risk: { level: 'normal', reasons: [] } };
}

const sections = (cards: unknown[]) => ({ views: [{ type: 'sections', title: 'Living Room', sections: [{ type: 'grid', cards }] }] });

describe('reviewDashboardDraft', () => {
  it('accepts a sections dashboard of shipped cards naming only live entities, at normal risk (even with a lock tile)', () => {
    const config = sections([
      { type: 'heading', heading: 'Living Room' },
      { type: 'tile', entity: 'light.living_room' },
      { type: 'thermostat', entity: 'climate.living_room' },
      { type: 'tile', entity: 'lock.front_door' },
      { type: 'history-graph', entities: ['sensor.living_room_temperature', { entity: 'climate.living_room' }] },
      { type: 'vertical-stack', cards: [{ type: 'energy-date-selection' }, { type: 'energy-usage-graph' }] },
    ]);
    expect(reviewDashboardDraft(dashboard(config), home)).toEqual({ errors: [], risk: { level: 'normal', reasons: [] } });
  });

  it('names every unknown entity, nested ones and badges included', () => {
    const config = {
      views: [
        { title: 'Old style', badges: [{ entity: 'sensor.ghost_badge' }], cards: [{ type: 'entities', entities: ['light.kitchen_typo', { entity: 'light.living_room' }] }] },
        { type: 'sections', sections: [{ cards: [{ type: 'grid', cards: [{ type: 'tile', entity: 'switch.nowhere' }] }] }] },
      ],
    };
    expect(reviewDashboardDraft(dashboard(config), home).errors).toEqual([
      'Unknown entity "sensor.ghost_badge": Home Assistant has no such entity.',
      'Unknown entity "light.kitchen_typo": Home Assistant has no such entity.',
      'Unknown entity "switch.nowhere": Home Assistant has no such entity.',
    ]);
  });

  it('refuses card types HA’s frontend does not ship, custom cards, and unknown view or section layouts, saying where', () => {
    const config = {
      views: [
        { type: 'sections', sections: [{ type: 'grid', cards: [{ type: 'mushroom-light-card', entity: 'light.living_room' }, { type: 'custom:button-card' }, { entity: 'light.living_room' }] }] },
        { type: 'sections', sections: [{ type: 'columns', cards: [] }] },
        { type: 'carousel', cards: [] },
        { type: 'sections', sections: [] },
        { type: 'panel' },
      ],
    };
    expect(reviewDashboardDraft(dashboard(config), home).errors).toEqual([
      'views[0] › sections[0] › cards[0]: "mushroom-light-card" is not a card type HA\'s frontend ships.',
      'views[0] › sections[0] › cards[1]: "custom:button-card" is a custom card, which HA\'s frontend does not ship.',
      'views[0] › sections[0] › cards[2]: a card needs a type.',
      'views[1] › sections[0]: "columns" is not a section type HA ships (grid).',
      'views[2]: "carousel" is not a view type HA ships (masonry, sidebar, panel, sections).',
      'views[3]: a sections view needs a non-empty list of sections.',
      'views[4]: a panel view needs a list of cards.',
    ]);
  });

  it('refuses a config without views, and a url path HA would not create or that is not the haId', () => {
    expect(reviewDashboardDraft(dashboard({ title: 'x' }), home).errors).toEqual(['A dashboard config needs a non-empty list of views.']);
    expect(reviewDashboardDraft(dashboard(sections([])), home).errors).toEqual([]);
    expect(reviewDashboardDraft(dashboard(sections([]), 'energy'), home).errors).toEqual(['The url path "energy" must contain a hyphen (-), as Home Assistant requires of dashboards.']);
    expect(reviewDashboardDraft(dashboard(sections([]), 'Energy-Board'), home).errors).toEqual(['The url path "Energy-Board" may hold only lower-case letters, digits and hyphens.']);
    expect(reviewDashboardDraft(dashboard(sections([]), 'energy-board', 'other-board'), home).errors).toEqual(['The dashboard\'s url path "energy-board" must be the proposal\'s haId "other-board".']);
  });
});
