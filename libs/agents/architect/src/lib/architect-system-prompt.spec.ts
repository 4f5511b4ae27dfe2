import { AGENT_TABLE, capabilityMenu, type AgentOffer, type CatalogSummary } from '@aether/core';
import { normaliseChatRequest } from '@aether/llm/models';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import { ARCHITECT_SYSTEM_PROMPT, buildArchitectSystemPrompt } from './architect-system-prompt';
import { createArchitectTools } from './architect-tools';
import { renderHomeSummary } from './catalog/home-summary';
import { DEMO_FIXTURE, FixtureLibrarianClient } from './testing/fixture-librarian.client';

/** The acceptance budget for the Architect's prompt, measured with a real tokenizer (OpenAI's cl100k_base). */
const PROMPT_TOKEN_BUDGET = 4000;
const tokenizer = new Tiktoken(cl100kBase);
const tokens = (text: string) => tokenizer.encode(text).length;

/** The summary of a large home: 2,000 entities over 40 domains, 60 areas on 8 floors. */
function largeHomeSummary(): CatalogSummary {
  const domains: Record<string, number> = {};
  for (let i = 0; i < 40; i += 1) domains[`domain_with_a_long_name_${i}`] = 50;
  return {
    entity_count: 2000,
    domains,
    areas: Array.from({ length: 60 }, (_, i) => `Area number ${i} with a fairly long descriptive name`),
    floors: Array.from({ length: 8 }, (_, i) => `Floor ${i}`),
    device_count: 640,
    automation_count: 120,
    script_count: 35,
    scene_count: 22,
    last_discovery_at: '2026-11-29T12:00:00.000Z',
  };
}

describe('the Architect system prompt', () => {
  it('stays under 4,000 tokens for a 2,000-entity home, tool definitions included, and the summary is bounded however large the home is', () => {
    const prompt = buildArchitectSystemPrompt(renderHomeSummary(largeHomeSummary()));
    // What a real LLM receives besides the messages: the system prompt and every bound tool's definition.
    // Every tool is bound, the proposal tools too (only the definitions are measured, so one fixture client serves as every agent).
    const client = new FixtureLibrarianClient(DEMO_FIXTURE);
    const tools = createArchitectTools({ librarian: client, dataScienceTeam: client, developer: client, context: { conversationId: 'c', userId: 'u' }, signal: new AbortController().signal });
    expect(tools.map((t) => t.name)).toContain('propose_helper');
    // Measured as it goes on the wire: ChatOpenAI's tool definitions, made portable by the LLM layer.
    const sent = normaliseChatRequest({ model: 'any', messages: [{ role: 'system', content: prompt }], tools: tools.map((t) => convertToOpenAITool(t)) });
    expect(tokens(JSON.stringify({ messages: sent.messages, tools: sent['tools'] }))).toBeLessThan(PROMPT_TOKEN_BUDGET);

    // Ten times larger: the summary's lists are capped, so it grows by a few digits only.
    const huge = largeHomeSummary();
    huge.entity_count = 20000;
    for (let i = 40; i < 400; i += 1) huge.domains[`domain_with_a_long_name_${i}`] = 50;
    huge.areas = Array.from({ length: 600 }, (_, i) => `Area number ${i} with a fairly long descriptive name`);
    huge.floors = Array.from({ length: 80 }, (_, i) => `Floor ${i}`);
    // Names are shortened too: one absurdly long area name cannot blow the budget.
    huge.areas[0] = 'x'.repeat(5000);
    expect(tokens(renderHomeSummary(huge)) - tokens(renderHomeSummary(largeHomeSummary()))).toBeLessThan(40);
  });

  it('carries the capability list of this deployment after the instructions, then the summary when there is one', () => {
    expect(buildArchitectSystemPrompt()).toBe(`${ARCHITECT_SYSTEM_PROMPT}\n\nWhen asked what you or Aether can do, answer from this list only:\n${capabilityMenu()}`);
    // What this version cannot do yet is named as such (the menu follows the agent table).
    const notYet = buildArchitectSystemPrompt().split('Not available yet in this version:')[1] ?? '';
    for (const offer of AGENT_TABLE.flatMap((agent): readonly AgentOffer[] => agent.offers ?? []).filter((offer) => !offer.available)) expect(notYet).toContain(offer.what);
    const prompt = buildArchitectSystemPrompt(renderHomeSummary(largeHomeSummary()));
    expect(prompt.startsWith(ARCHITECT_SYSTEM_PROMPT)).toBe(true);
    expect(prompt).toContain('- Counts: entities 2000, devices 640, automations 120, scripts 35, scenes 22.');
    expect(prompt).toContain('… and 10 more domains (500 entities)');
    expect(prompt).toContain('Areas (60): Area number 0 with a fairly long descriptive name,');
    expect(prompt).toContain('… and 20 more.');
  });

  it('describes the catalog and proposal tools and the rule that changes are only proposed', () => {
    for (const tool of ['search_entities', 'get_entity_state', 'list_entities_by_domain', 'get_domain_summary', 'list_automations', 'get_automation_config', 'consult_data_science_team', 'propose_config', 'propose_entity_command', 'propose_helper', 'get_automation_suggestions', 'propose_suggested_automation', 'get_pending_proposals']) {
      expect(ARCHITECT_SYSTEM_PROMPT).toContain(tool);
    }
    expect(ARCHITECT_SYSTEM_PROMPT).toContain('Never invent an entity, a state or a value');
    expect(ARCHITECT_SYSTEM_PROMPT).toContain('you never change Home Assistant yourself');
  });
});
