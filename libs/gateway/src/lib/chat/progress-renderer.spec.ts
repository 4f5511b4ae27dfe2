import { ProgressRenderer } from './progress-renderer';

describe('ProgressRenderer', () => {
  it('renders routing, delegation, tool and status events as labelled lines', () => {
    const renderer = new ProgressRenderer();
    expect(
      renderer.render({ type: 'routing', agent: 'orchestrator', target: 'architect', confidence: 0.9, reason: 'energy question' }),
    ).toBe('Orchestrator → Architect (confidence 0.90): energy question\n');
    expect(renderer.render({ type: 'delegation', agent: 'architect', target: 'ds-orchestrator', content: 'analyse' })).toBe(
      'Architect → DS team: analyse\n',
    );
    expect(renderer.render({ type: 'delegation', agent: 'ds-orchestrator', target: 'energy', content: 'last 24 h' })).toBe(
      'DS team → energy: last 24 h\n',
    );
    expect(renderer.render({ type: 'tool_start', agent: 'architect', tool: 'consult_data_science_team', args: '{}' })).toBe(
      'Architect: running consult_data_science_team…\n',
    );
    expect(renderer.render({ type: 'status', agent: 'ds-orchestrator', content: 'energy analyst running…' })).toBe(
      'DS team: energy analyst running…\n',
    );
    expect(renderer.render({ type: 'error', agent: 'librarian', content: 'HA slow', code: 'upstream_error', recoverable: true })).toBe(
      'Librarian: error (upstream_error): HA slow\n',
    );
  });

  it('renders nothing for tokens, results, model usage and empty status', () => {
    const renderer = new ProgressRenderer();
    expect(renderer.render({ type: 'token', agent: 'architect', content: 'hi' })).toBeUndefined();
    expect(renderer.render({ type: 'result', agent: 'ds-analysts', data: { kWh: 1 } })).toBeUndefined();
    expect(renderer.render({ type: 'status', agent: 'architect', content: '' })).toBeUndefined();
    expect(
      renderer.render({ type: 'usage', agent: 'architect', model: 'gpt-x', promptTokens: 9, completionTokens: 3, reasoningTokens: 1, cachedTokens: 4 }),
    ).toBeUndefined();
  });

  it('streams thinking as it comes and starts the next progress line on a new line', () => {
    const renderer = new ProgressRenderer();
    const text = [
      renderer.render({ type: 'thinking', agent: 'architect', content: 'The user wants ' }),
      renderer.render({ type: 'thinking', agent: 'architect', content: 'energy data.' }),
      renderer.render({ type: 'tool_start', agent: 'architect', tool: 'get_entities', args: '{}' }),
    ].join('');
    expect(text).toBe('The user wants energy data.\nArchitect: running get_entities…\n');
  });
});
