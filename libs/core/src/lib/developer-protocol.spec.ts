import { AgentError } from './agent-contract';
import { readDeveloperOutcome, readDeveloperRequest } from './developer-protocol';
import { proposalSummary, readChatDecision } from './proposal-text';
import type { Proposal } from './proposals';

const proposal: Proposal = {
  id: '3f2a9c1d-1111-2222-3333-444455556666',
  userId: 'alice',
  conversationId: 'c',
  kind: 'entity_command',
  title: 'Unlock the front door',
  description: 'Unlocks Front Door Lock once.',
  payload: { domain: 'lock', service: 'unlock', entityIds: ['lock.front_door'] },
  haId: 'lock.front_door',
  risk: { level: 'high', reasons: ['It controls Front Door Lock (lock).'] },
  status: 'proposed',
  version: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('the Developer protocol', () => {
  it('reads every action, checking what it carries', () => {
    expect(readDeveloperRequest({ action: 'approve', proposalId: 'p' }, 'developer')).toEqual({ action: 'approve', proposalId: 'p' });
    expect(readDeveloperRequest({ action: 'reject', proposalId: 'p', reason: 'no' }, 'developer')).toEqual({ action: 'reject', proposalId: 'p', reason: 'no' });
    expect(readDeveloperRequest({ action: 'list', status: 'proposed', conversationId: 'c' }, 'developer')).toEqual({ action: 'list', status: 'proposed', conversationId: 'c' });
    expect(() => readDeveloperRequest({ action: 'list', status: 'maybe' }, 'developer')).toThrow(new AgentError('invalid_input', 'data.status must be one of proposed, approved, deployed, rolled_back, rejected, failed, got "maybe".', 'developer'));
    expect(() => readDeveloperRequest({ action: 'deploy' }, 'developer')).toThrow(/data\.proposalId must be a proposal id/);
    expect(() => readDeveloperRequest({ action: 'delete', proposalId: 'p' }, 'developer')).toThrow(/data\.action must be one of propose, approve, reject, deploy, rollback, get, list/);
  });

  it('reads its outcomes: a proposal, a list, or a refusal', () => {
    expect(readDeveloperOutcome({ proposal }, 'developer')).toEqual({ proposal });
    expect(readDeveloperOutcome({ proposals: [proposal] }, 'developer')).toEqual({ proposals: [proposal] });
    expect(readDeveloperOutcome({ refused: { reason: 'conflict', message: 'x' } }, 'developer')).toEqual({ refused: { reason: 'conflict', message: 'x' } });
    expect(() => readDeveloperOutcome({}, 'developer')).toThrow(/carries no proposal/);
  });
});

describe('proposal texts', () => {
  it('shows the risk, the exact service call and how to decide', () => {
    const text = proposalSummary(proposal);
    expect(text).toContain('**High risk:** It controls Front Door Lock (lock).');
    expect(text).toContain('"action": "lock.unlock"');
    expect(text).toContain('Reply *approve* to deploy it, *reject* to drop it, or tell me what to change.');
    // The words the summary asks for are the ones chat decisions understand.
    expect([readChatDecision('approve')?.decision, readChatDecision('reject')?.decision]).toEqual(['approve', 'reject']);
  });

  it('shows how a changed automation differs from the one HA has, whatever the order of HA\'s keys, and says when nothing would change', () => {
    const current = { mode: 'single', triggers: [{ trigger: 'sun', event: 'sunset' }], id: 'porch', alias: 'Porch light', actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }] };
    const changed = { alias: 'Porch light', triggers: [{ trigger: 'sun', event: 'sunset', offset: '00:30:00' }], actions: current.actions, mode: 'single' };
    const revision = { ...proposal, kind: 'automation' as const, haId: 'porch', risk: { level: 'normal' as const, reasons: [] }, payload: { config: changed }, replaces: current };
    const text = proposalSummary(revision);
    expect(text).toContain('It changes the automation `porch` Home Assistant has now (- now, + proposed):');
    const diff = text.slice(text.indexOf('```diff'), text.indexOf('```', text.indexOf('```diff') + 7));
    expect(diff.split('\n').filter((line) => /^[-+]/.test(line))).toEqual(['+      "offset": "00:30:00",']);
    expect(proposalSummary({ ...revision, payload: { config: { ...current } } })).toContain('It is the same as the automation `porch` Home Assistant has now: approving it changes nothing.');
    expect(proposalSummary({ ...revision, replaces: undefined })).not.toContain('Home Assistant has now');
  });
});
