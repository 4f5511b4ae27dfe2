import { addAgentRow, knownAgents } from './agent-names';
import { AGENT_TABLE, type AgentOffer } from './agent-table';
import { capabilityMenu, deploymentCapabilities } from './capabilities';

describe('deploymentCapabilities', () => {
  it('lists what the agents offer, apart from what answers not_implemented', () => {
    const { available, notYet } = deploymentCapabilities();
    const offers = AGENT_TABLE.flatMap((agent): readonly AgentOffer[] => agent.offers ?? []);
    expect(available).toEqual(offers.filter((offer) => offer.available).map((offer) => offer.what));
    expect(notYet).toEqual(offers.filter((offer) => !offer.available).map((offer) => offer.what));
    expect(available.join('\n')).toMatch(/energy use/);
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
