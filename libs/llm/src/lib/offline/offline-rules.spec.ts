import { AGENT_TABLE, type AgentOffer } from '@aether/core';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { createHomeTools } from '../testing/home-tools';
import type { OfflinePolicy } from '../chat-model-factory';
import { toToolSpecs } from './bound-tools';
import { decideOfflineResponse } from './offline-rules';

const { all, consultDataScienceTeam, getEntityState } = createHomeTools();
const specs = toToolSpecs(all);

function decideFor(userText: string, options: Partial<Parameters<typeof decideOfflineResponse>[0]> = {}) {
  return decideOfflineResponse({
    messages: [new SystemMessage('You are the Architect.'), new HumanMessage(userText)],
    tools: specs,
    agentLabel: 'Architect',
    ...options,
  });
}

describe('decideOfflineResponse — tool choice by keywords', () => {
  it('calls the analysis tool for an energy question, deriving every argument from the schema', () => {
    const text = 'Analyze my energy usage over the last 7 days';
    expect(decideFor(text)).toEqual({
      kind: 'tool_calls',
      calls: [
        {
          name: 'consult_data_science_team',
          args: { query: text, hours: 168, specialists: ['energy'], depth: 'standard' },
        },
      ],
    });
  });

  it('matches enum values by related word forms and clamps hours into the schema bounds', () => {
    const decision = decideFor('Do a deep analysis of our behaviour patterns this month');
    expect(decision).toEqual({
      kind: 'tool_calls',
      calls: [
        {
          name: 'consult_data_science_team',
          args: {
            query: 'Do a deep analysis of our behaviour patterns this month',
            hours: 168, // 720 asked, schema maximum 168
            specialists: ['behavioral'],
            depth: 'deep',
          },
        },
      ],
    });
  });

  it('uses the schema default when the message names no window', () => {
    const decision = decideFor('analyse the energy consumption');
    expect(decision.kind === 'tool_calls' && decision.calls[0].args['hours']).toBe(24);
  });

  it('fills entity_id from an entity id in the message', () => {
    expect(decideFor('What is the state of light.kitchen_ceiling?')).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'get_entity_state', args: { entity_id: 'light.kitchen_ceiling' } }],
    });
  });

  it('leaves optional fields without a value out', () => {
    expect(decideFor('Discover my devices')).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'discover_entities', args: {} }],
    });
  });

  it('skips a matching tool whose required arguments cannot be derived', () => {
    // "state" points at get_entity_state, but there is no entity id to pass.
    const decision = decideFor('what state is my lamp in?');
    expect(decision.kind).toBe('text');
  });

  it('answers with capabilities (and claims nothing done) when no tool matches', () => {
    const decision = decideFor('Hello there!');
    expect(decision.kind).toBe('text');
    const text = decision.kind === 'text' ? decision.text : '';
    expect(text).toContain("I'm Aether's Architect");
    expect(text).toContain('have not taken any action');
    expect(text).toContain('Ask the data science team to analyse energy consumption');
    const notYet = text.split('Not available yet in this version:')[1] ?? '';
    for (const offer of AGENT_TABLE.flatMap((agent): readonly AgentOffer[] => agent.offers ?? []).filter((offer) => !offer.available)) expect(notYet).toContain(offer.what);
    expect(text).toContain('LLM_BASE_URL');
  });

  it('describes Aether as a whole when the agent has no tools: only what this deployment’s agents do', () => {
    const decision = decideOfflineResponse({ messages: [new HumanMessage('what can you do?')], tools: [] });
    const text = decision.kind === 'text' ? decision.text : '';
    const [can, notYet = ''] = text.split('Not available yet in this version:');
    // Every offer of the agent table is named on the side its availability puts it: nothing that
    // answers not_implemented is offered as a capability.
    const offers = AGENT_TABLE.flatMap((agent): readonly AgentOffer[] => agent.offers ?? []);
    expect(offers.some((offer) => offer.available)).toBe(true);
    for (const offer of offers) {
      expect(offer.available ? can : notYet).toContain(offer.what);
      expect(offer.available ? notYet : can).not.toContain(offer.what);
    }
  });

  it('honours tool_choice: none, a named tool, and any', () => {
    expect(decideFor('Analyze my energy usage', { toolChoice: 'none' }).kind).toBe('text');
    expect(decideFor('Hello there', { toolChoice: { type: 'function', function: { name: 'discover_entities' } } })).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'discover_entities', args: {} }],
    });
    const forced = decideFor('Hello there', { toolChoice: 'any' });
    expect(forced.kind).toBe('tool_calls');
  });
});

describe('decideOfflineResponse — after tool results', () => {
  const question = new HumanMessage('Analyze my energy usage');
  const toolCall = new AIMessage({
    content: '',
    tool_calls: [
      { id: 'call_1', name: 'consult_data_science_team', args: { query: 'x' }, type: 'tool_call' },
      { id: 'call_2', name: 'discover_entities', args: {}, type: 'tool_call' },
    ],
  });

  it('quotes a single readable result verbatim', () => {
    const decision = decideOfflineResponse({
      messages: [question, toolCall, new ToolMessage({ tool_call_id: 'call_1', content: 'Total 182.4 kWh, peak at 18:00.' })],
      tools: specs,
    });
    expect(decision).toEqual({ kind: 'text', text: 'Here is what I found:\n\nTotal 182.4 kWh, peak at 18:00.' });
  });

  it('renders JSON results as a readable list, one section per tool, and reports failures', () => {
    const decision = decideOfflineResponse({
      messages: [
        question,
        toolCall,
        new ToolMessage({ tool_call_id: 'call_1', content: 'HA is unreachable', status: 'error' }),
        new ToolMessage({
          tool_call_id: 'call_2',
          content: JSON.stringify({ discovered: 42, domains: { light: 12 }, areas: ['kitchen', 'hall'] }),
        }),
      ],
      tools: specs,
    });
    expect(decision).toEqual({
      kind: 'text',
      text:
        'Here is what I found:\n\n' +
        '**consult_data_science_team** failed: HA is unreachable\n\n' +
        '**discover_entities**\ndiscovered: 42\ndomains:\n  light: 12\nareas: kitchen, hall',
    });
  });

  it('only uses results from the current turn', () => {
    const decision = decideOfflineResponse({
      messages: [
        question,
        toolCall,
        new ToolMessage({ tool_call_id: 'call_1', content: 'old result' }),
        new AIMessage('Here is what I found: old result'),
        new HumanMessage('Discover my devices'),
        new AIMessage({ content: '', tool_calls: [{ id: 'call_3', name: 'discover_entities', args: {}, type: 'tool_call' }] }),
        new ToolMessage({ tool_call_id: 'call_3', content: 'new result' }),
      ],
      tools: specs,
    });
    expect(decision).toEqual({ kind: 'text', text: 'Here is what I found:\n\nnew result' });
  });
});

describe('decideOfflineResponse — agent policy', () => {
  it('lets the policy decide first and passes it the bound LangChain tools', () => {
    const seen: string[][] = [];
    const policy: OfflinePolicy = ({ tools }) => {
      seen.push(tools.map((t) => t.name));
      return { kind: 'tool_calls', calls: [{ name: 'get_entity_state', args: { entity_id: 'sun.sun' } }] };
    };
    expect(decideFor('Analyze my energy usage', { policy })).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'get_entity_state', args: { entity_id: 'sun.sun' } }],
    });
    expect(seen).toEqual([[consultDataScienceTeam.name, 'discover_entities', getEntityState.name]]);
  });

  it('falls back to the generic rules when the policy returns undefined', () => {
    const decision = decideFor('Analyze my energy usage', { policy: () => undefined });
    expect(decision.kind === 'tool_calls' && decision.calls[0].name).toBe('consult_data_science_team');
  });

  it('rejects a policy that calls a tool that is not bound', () => {
    const policy: OfflinePolicy = () => ({ kind: 'tool_calls', calls: [{ name: 'deploy_everything', args: {} }] });
    expect(() => decideFor('hi', { policy })).toThrow('Offline policy called tool "deploy_everything", which is not bound');
  });
});
