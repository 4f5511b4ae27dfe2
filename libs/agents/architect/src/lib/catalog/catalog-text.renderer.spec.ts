import type { CatalogAutomationView } from '@aether/core';
import { renderAutomationConfig, renderAutomationLine } from './catalog-text.renderer';

const blueprintBased: CatalogAutomationView & { config: Record<string, unknown> } = {
  entity_id: 'automation.tell_alex_when_sam_leaves_home',
  id: '1731488301562',
  alias: 'Tell Alex when Sam leaves home',
  state: 'on',
  mode: null,
  trigger_types: [],
  last_triggered: null,
  blueprint: { path: 'homeassistant/notify_leaving_zone.yaml', input: { person_entity: 'person.sam' } },
  config: { id: '1731488301562', alias: 'Tell Alex when Sam leaves home', use_blueprint: { path: 'homeassistant/notify_leaving_zone.yaml', input: { person_entity: 'person.sam' } } },
};

describe('catalog text for the model', () => {
  it('names the blueprint of a blueprint-based automation, and says its triggers and actions are in the blueprint', () => {
    expect(renderAutomationLine(blueprintBased)).toBe(
      'automation.tell_alex_when_sam_leaves_home — Tell Alex when Sam leaves home: on (from blueprint homeassistant/notify_leaving_zone.yaml; last triggered never)',
    );
    const text = renderAutomationConfig({ op: 'get_automation_config', automation: blueprintBased }, 'automation.tell_alex_when_sam_leaves_home');
    expect(text).toContain('blueprint-based: its triggers, conditions and actions are defined by the blueprint homeassistant/notify_leaving_zone.yaml (not in this config)');
    expect(text).toContain('"person_entity": "person.sam"');
  });
});
