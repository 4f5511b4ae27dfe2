import { toToolSpecs } from './bound-tools';
import { scoreTools, TOOL_MATCH_THRESHOLD } from './tool-matcher';

const specs = toToolSpecs([
  {
    type: 'function',
    function: {
      name: 'get_energy_usage',
      description: 'Energy used by the home per day.',
      parameters: { type: 'object', properties: { hours: { type: 'integer', default: 24 } } },
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_energy_forecast',
      description: 'Solar production forecast for tomorrow.',
      parameters: { type: 'object', properties: {} },
    },
  },
  { name: 'list_automations', description: 'List the automations with their status.', schema: { type: 'object', properties: {} } },
]);

describe('scoreTools', () => {
  it('reads OpenAI-style definitions and LangChain tool params alike', () => {
    expect(specs.map((s) => s.name)).toEqual(['get_energy_usage', 'get_energy_forecast', 'list_automations']);
  });

  it('ranks the tool whose own words match best, discounting words every candidate shares', () => {
    const [best, second] = scoreTools('how much energy will the solar panels produce tomorrow', specs);
    expect(best.spec.name).toBe('get_energy_forecast');
    expect(second.spec.name).toBe('get_energy_usage');
    expect(best.rank).toBeGreaterThan(second.rank);
  });

  it('lets a word shared by several tools still qualify them', () => {
    const [best] = scoreTools('energy please', specs);
    expect(best.score).toBeGreaterThanOrEqual(TOOL_MATCH_THRESHOLD);
    expect(best.spec.name).toBe('get_energy_usage'); // tie: binding order decides
  });

  it('folds plurals and verb forms together', () => {
    const [best] = scoreTools('which automation is listed?', specs);
    expect(best.spec.name).toBe('list_automations');
    expect(best.score).toBeGreaterThanOrEqual(TOOL_MATCH_THRESHOLD);
  });

  it('scores filler words and unrelated messages at zero', () => {
    expect(scoreTools('hello, can you please tell me something?', specs).every((s) => s.score === 0)).toBe(true);
  });
});
