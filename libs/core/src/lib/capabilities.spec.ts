import { addAgentRow, knownAgents } from './agent-names';
import { capabilityMenu, deploymentCapabilities } from './capabilities';

describe('deploymentCapabilities', () => {
  it('lists what the agents offer, apart from what answers not_implemented', () => {
    const { available, notYet } = deploymentCapabilities();
    expect(available.join('\n')).toMatch(/energy use/);
    expect(available.join('\n')).toMatch(/design Home Assistant dashboards/);
    expect(available.join('\n')).toMatch(/deploy an approved proposal/);
    expect(notYet.join('\n')).toMatch(/diagnose unavailable devices/);
    expect(notYet.join('\n')).not.toMatch(/dashboard/i);
    expect(capabilityMenu()).toMatch(/^Aether can:\n- /);
  });

  it('includes an agent added to the table', () => {
    const before = knownAgents().length;
    addAgentRow({
      name: 'gardener',
      label: 'Gardener',
      port: 0,
      urlEnv: 'GARDENER_SERVICE_URL',
      homeAssistant: false,
      llm: false,
      database: false,
      calls: [],
      offers: [{ what: 'water the garden when the soil is dry', available: true }],
    });
    expect(knownAgents()).toHaveLength(before + 1);
    expect(deploymentCapabilities().available).toContain('water the garden when the soil is dry');
  });
});
