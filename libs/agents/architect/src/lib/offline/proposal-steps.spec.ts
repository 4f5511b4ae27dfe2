import type { CatalogEntityView, Proposal } from '@aether/core';
import { ToolMessage } from '@langchain/core/messages';
import { parseChangeRequest } from './change-request.parser';
import { nextProposalStep } from './proposal-steps';

const entity = (entity_id: string, name: string): CatalogEntityView => ({ entity_id, name, domain: entity_id.split('.')[0], state: 'off', area: null, device: null, unit: null });
const searched = (...entities: CatalogEntityView[]) =>
  new ToolMessage({ content: entities.map((e) => e.entity_id).join('\n'), tool_call_id: `s-${entities.length}`, name: 'search_entities', artifact: { op: 'search_entities', entities, total: entities.length, live: false } });

describe('nextProposalStep (the offline model turning a change request into a proposal)', () => {
  it('finds the porch light through the catalog, then proposes the automation with its real entity id, then answers with the summary', () => {
    const request = parseChangeRequest('Create an automation that turns on the porch light at sunset')!;
    expect(nextProposalStep(request, [])).toEqual({ kind: 'tool_calls', calls: [{ name: 'search_entities', args: { query: 'porch light', limit: 10 } }] });
    const found = searched(entity('sensor.porch_light_power', 'Porch Light Power'), entity('light.porch', 'Porch Light'));
    expect(nextProposalStep(request, [found])).toEqual({
      kind: 'tool_calls',
      calls: [
        {
          name: 'propose_config',
          args: {
            kind: 'automation',
            title: 'Porch Light on at sunset',
            description: 'Turn on Porch Light (light.porch) at sunset.',
            config: {
              alias: 'Porch Light on at sunset',
              description: 'Created by Aether: turn on Porch Light (light.porch) at sunset.',
              triggers: [{ trigger: 'sun', event: 'sunset' }],
              conditions: [],
              actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }],
              mode: 'single',
            },
          },
        },
      ],
    });
    const summary = new ToolMessage({ content: '**Proposal: Porch Light on at sunset** …', tool_call_id: 'p', name: 'propose_config', artifact: { id: 'p-1', status: 'proposed' } });
    expect(nextProposalStep(request, [found, summary])).toEqual({ kind: 'text', text: '**Proposal: Porch Light on at sunset** …' });
  });

  it('searches the trigger’s subject after the target, and maps "opens" of a door sensor to its "on"', () => {
    const request = parseChangeRequest('When the front door opens, turn on the hallway light')!;
    const light = searched(entity('light.hallway', 'Hallway Light'));
    expect(nextProposalStep(request, [light])).toEqual({ kind: 'tool_calls', calls: [{ name: 'search_entities', args: { query: 'front door', limit: 10 } }] });
    const door = searched(entity('lock.front_door', 'Front Door Lock'), entity('binary_sensor.front_door', 'Front Door'));
    const step = nextProposalStep(request, [light, door]);
    expect(step.kind === 'tool_calls' && step.calls[0].args['config']).toMatchObject({ triggers: [{ trigger: 'state', entity_id: 'binary_sensor.front_door', to: 'on' }] });
  });

  it('switches an existing automation off as a one-off command on the automation the catalog names', () => {
    const request = parseChangeRequest('Disable the porch light automation')!;
    expect(nextProposalStep(request, [])).toEqual({ kind: 'tool_calls', calls: [{ name: 'search_entities', args: { query: 'porch light', limit: 10, domain: 'automation' } }] });
    const found = searched(entity('automation.porch_light_at_sunset', 'Porch light at sunset'));
    expect(nextProposalStep(request, [found])).toEqual({
      kind: 'tool_calls',
      calls: [
        {
          name: 'propose_entity_command',
          args: {
            title: 'Disable Porch light at sunset',
            description: 'Disable Porch light at sunset (automation.porch_light_at_sunset), once.',
            domain: 'automation',
            service: 'turn_off',
            entity_ids: ['automation.porch_light_at_sunset'],
          },
        },
      ],
    });
  });

  it('says so, proposing nothing, when the catalog has no such device or the draft was refused', () => {
    const request = parseChangeRequest('Turn off the attic fan')!;
    expect(nextProposalStep(request, [searched()])).toEqual({ kind: 'text', text: 'I could not find "attic fan" in your home, so I made no proposal. Which device do you mean?' });
    const refused = new ToolMessage({
      content: 'The draft was not proposed:\n- Unknown service "notify.notify"\nFix these and call propose_config again (2 attempts left), or tell the user what cannot be done.',
      tool_call_id: 'p',
      name: 'propose_config',
      artifact: { errors: 'The draft was not proposed:\n- Unknown service "notify.notify"' },
    });
    expect(nextProposalStep(parseChangeRequest('Notify me when the front door opens')!, [searched(entity('binary_sensor.front_door', 'Front Door')), refused])).toEqual({
      kind: 'text',
      text: 'I could not save that as a proposal.\n\nThe draft was not proposed:\n- Unknown service "notify.notify"',
    });
  });

  it('revises the pending automation with the new trigger, keeping its config and naming what it replaces', () => {
    const request = parseChangeRequest('Make it 30 minutes after sunset')!;
    expect(nextProposalStep(request, [])).toEqual({ kind: 'tool_calls', calls: [{ name: 'get_pending_proposals', args: {} }] });
    const pending = {
      id: 'p-1',
      kind: 'automation',
      title: 'Porch Light on at sunset',
      description: 'Turn on Porch Light (light.porch) at sunset.',
      payload: { config: { id: 'porch_light_on_at_sunset', alias: 'Porch Light on at sunset', triggers: [{ trigger: 'sun', event: 'sunset' }], actions: [{ action: 'light.turn_on' }] } },
    } as unknown as Proposal;
    const listed = new ToolMessage({ content: '…', tool_call_id: 'g', name: 'get_pending_proposals', artifact: [pending] });
    expect(nextProposalStep(request, [listed])).toEqual({
      kind: 'tool_calls',
      calls: [
        {
          name: 'propose_config',
          args: {
            kind: 'automation',
            title: 'Porch Light on 30 minutes after sunset',
            description: 'Turn on Porch Light (light.porch) 30 minutes after sunset.',
            config: { id: 'porch_light_on_at_sunset', alias: 'Porch Light on 30 minutes after sunset', triggers: [{ trigger: 'sun', event: 'sunset', offset: '00:30:00' }], actions: [{ action: 'light.turn_on' }] },
            revises: 'p-1',
          },
        },
      ],
    });
    const none = new ToolMessage({ content: '…', tool_call_id: 'g', name: 'get_pending_proposals', artifact: [] });
    expect(nextProposalStep(request, [none])).toMatchObject({ kind: 'text', text: expect.stringMatching(/^There is no automation proposal waiting/) });
  });
});
