import { FixtureHome } from '../fixture/fixture-home';
import { loadFixture } from '../fixture/load-fixture';
import { smallHomeFixture } from '../fixture/small-home.fixture';
import { renderTemplate, TemplateRenderError } from './template-renderer';

const NOW = Date.parse('2026-11-29T13:05:09.250Z');

describe('renderTemplate', () => {
  const home = new FixtureHome(loadFixture(smallHomeFixture()), NOW);
  const render = (template: string, variables?: Record<string, unknown>) => renderTemplate(template, home, NOW, variables);

  it.each([
    ["{{ states('light.kitchen') }}", 'on'],
    ["{{ states('sensor.missing') }}", 'unknown'],
    ['{{ states.sensor.kitchen_temperature.state }}', '21.5'],
    ['{{ states.light.kitchen.attributes.brightness }}', '128'],
    ['{{ states.light.kitchen.name }}', 'Kitchen Light'],
    ["{{ is_state('light.kitchen', 'on') }}", 'true'],
    ["{{ is_state('light.kitchen', ['off', 'unavailable']) }}", 'false'],
    ["{{ state_attr('climate.living_room', 'temperature') }}", '20'],
    // None renders as an empty string (nunjucks), where Jinja would print "None".
    ["[{{ state_attr('climate.living_room', 'nothing') }}]", '[]'],
    ["{{ is_state_attr('light.kitchen', 'brightness', 128) }}", 'true'],
    ["{{ has_value('sensor.missing') }}", 'false'],
    ["{{ states('sensor.kitchen_temperature') | float + 1 }}", '22.5'],
    ["{{ states('sensor.kitchen_temperature') | int }}", '21'],
    ["{{ (states('sensor.kitchen_temperature') | float / 3) | round(2) }}", '7.17'],
    ["{{ 'abc' | float(0) }}", '0'],
    ["{{ float('4.5') * 2 }}", '9'],
    ['{{ states.light | length }}', '2'],
    ["{{ states.light | selectattr('state', 'eq', 'on') | list | count }}", '1'],
    ["{{ states.light | selectattr('state', 'eq', 'on') | map(attribute='entity_id') | join(',') }}", 'light.kitchen'],
    ["{% for s in states.light %}{{ s.object_id }} {% endfor %}", 'kitchen hall '],
    ['{{ now().year }}-{{ now().hour }}', '2026-13'],
    ['{{ now() }}', '2026-11-29 13:05:09.250000+00:00'],
    ['{{ as_timestamp(now()) }}', String(NOW / 1000)],
    ["{{ as_timestamp('2026-11-29T00:00:00+00:00') }}", String(Date.parse('2026-11-29T00:00:00Z') / 1000)],
    ["{{ area_name('light.kitchen') }} {{ area_entities('kitchen') | join(',') }}", 'Kitchen light.kitchen,sensor.kitchen_temperature'],
    ['{{ greeting }}, {{ who }}', 'Hello, world'],
  ])('%s → %s', (template, expected) => {
    expect(render(template, { greeting: 'Hello', who: 'world' })).toBe(expected);
  });

  it('reports syntax errors and HA’s ValueError for a float without default', () => {
    expect(() => render('{% if x %}open')).toThrow(TemplateRenderError);
    expect(() => render('{{ 1 + }}')).toThrow(/^TemplateSyntaxError: .*\(line 1, column \d+\)$/);
    expect(() => render("{{ 'abc' | float }}")).toThrow(
      "ValueError: Template error: float got invalid input 'abc' when rendering template '{{ 'abc' | float }}' but no default was specified",
    );
  });

  it('cannot reach JavaScript internals through member lookups', () => {
    expect(() => render('{{ range.constructor("return process")() }}')).toThrow(TemplateRenderError);
    expect(render('{{ states.light.constructor }}|{{ states.__proto__ }}')).toBe('|');
  });
});
