import type { AgentEvent, AgentRequest, DeveloperRequestData, DeveloperResultData, Proposal, ProposalStatus } from '@aether/core';
import OpenAI from 'openai';
import { FakeAgentDirectory } from '../../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../../testing/gateway-test-app';
import { scriptOf } from '../../testing/scripted-agent-client';
import { readChatDecision } from '@aether/core';

const API_KEY = 'sk-proposals-key';
const OTHER_KEY = 'sk-proposals-other';

function proposal(id: string, userId: string, status: ProposalStatus, conversationId = 'c-1'): Proposal {
  return {
    id,
    userId,
    conversationId,
    kind: 'entity_command',
    title: 'Turn off Kitchen Light',
    description: '',
    payload: { domain: 'light', service: 'turn_off', entityIds: ['light.kitchen'] },
    haId: 'light.kitchen',
    risk: { level: 'normal', reasons: [] },
    status,
    version: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

/**
 * A Developer that keeps its proposals in a map, scoped by caller and with the lifecycle's moves,
 * so the gateway's mapping (owner, 404, 409, approve-then-deploy) is checked against the contract.
 */
function developerScript(proposals: Map<string, Proposal>) {
  const moves: Partial<Record<DeveloperRequestData['action'], [ProposalStatus[], ProposalStatus]>> = {
    approve: [['proposed', 'failed'], 'approved'],
    reject: [['proposed', 'failed'], 'rejected'],
    deploy: [['approved'], 'deployed'],
    rollback: [['deployed'], 'rolled_back'],
  };
  return (request: AgentRequest) => {
    const data = request.data as unknown as DeveloperRequestData;
    const user = request.context.userId;
    let outcome: DeveloperResultData;
    if (data.action === 'list') {
      outcome = { proposals: [...proposals.values()].filter((p) => p.userId === user && (!data.status || p.status === data.status) && (!data.conversationId || p.conversationId === data.conversationId)) };
    } else if (data.action === 'propose') {
      throw new Error('not proposed here');
    } else {
      const found = proposals.get(data.proposalId);
      const move = moves[data.action];
      if (!found || found.userId !== user) outcome = { refused: { reason: 'not_found', message: `No proposal ${data.proposalId} of yours.` } };
      else if (move && !move[0].includes(found.status)) outcome = { refused: { reason: 'conflict', message: `Proposal ${found.id} is ${found.status}; it cannot become ${move[1]}.` } };
      else {
        if (move) proposals.set(found.id, { ...found, status: move[1] });
        outcome = { proposal: proposals.get(found.id)! };
      }
    }
    const events: AgentEvent[] = [{ type: 'result', agent: 'developer', data: outcome as unknown as Record<string, unknown> }];
    return scriptOf(...events)(request, new AbortController().signal);
  };
}

describe('proposals in the gateway (REST and chat decisions, through the Developer)', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  const proposals = new Map<string, Proposal>();
  let alice: string;

  beforeAll(async () => {
    agents = new FakeAgentDirectory();
    agents.clients.developer.script = developerScript(proposals);
    gateway = await startGatewayApp({ agents, config: { apiKeys: [API_KEY, OTHER_KEY] } });
    // The caller id the gateway gives API_KEY, as the Developer sees it.
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'ok' });
    await new OpenAI({ baseURL: `${gateway.origin}/api/v1`, apiKey: API_KEY, maxRetries: 0 }).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'hello' }] });
    alice = agents.clients.orchestrator.calls[0].request.context.userId;
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
  });
  beforeEach(() => proposals.clear());

  const rest = async (path: string, method = 'GET', key = API_KEY) => {
    const res = await fetch(`${gateway.origin}/api/v1/proposals${path}`, { method, headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as any };
  };

  it("lists the caller's proposals by status, and refuses an unknown status with 400", async () => {
    proposals.set('p1', proposal('p1', alice, 'proposed'));
    proposals.set('p2', proposal('p2', alice, 'deployed'));
    proposals.set('p3', proposal('p3', 'someone-else', 'proposed'));
    expect((await rest('?status=proposed')).body).toEqual({ object: 'list', data: [{ object: 'proposal', ...proposals.get('p1') }] });
    expect((await rest('')).body.data.map((p: Proposal) => p.id)).toEqual(['p1', 'p2']);
    const bad = await rest('?status=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ type: 'invalid_request_error', param: 'status' });
  });

  it("answers another key's proposal with 404 and a move its status does not allow with 409, in the OpenAI envelope", async () => {
    proposals.set('p1', proposal('p1', alice, 'proposed'));
    for (const [path, method] of [['/p1', 'GET'], ['/p1/approve', 'POST'], ['/p1/deploy', 'POST'], ['/p1/rollback', 'POST']]) {
      const { status, body } = await rest(path, method, OTHER_KEY);
      expect([path, status, body.error.code]).toEqual([path, 404, 'proposal_not_found']);
    }
    const conflict = await rest('/p1/rollback', 'POST');
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({ type: 'invalid_request_error', code: 'proposal_status_conflict', message: 'Proposal p1 is proposed; it cannot become rolled_back.' });
    expect(proposals.get('p1')?.status).toBe('proposed');
  });

  it('deploy approves a waiting proposal first, then deploys it; rollback and reject move it on', async () => {
    proposals.set('p1', proposal('p1', alice, 'proposed'));
    agents.clients.developer.calls.length = 0;
    expect((await rest('/p1/deploy', 'POST')).body).toMatchObject({ object: 'proposal', id: 'p1', status: 'deployed' });
    expect(agents.clients.developer.calls.map((c) => (c.request.data as { action: string }).action)).toEqual(['get', 'approve', 'deploy']);
    expect(agents.clients.developer.calls.every((c) => c.request.context.userId === alice)).toBe(true);
    expect((await rest('/p1/rollback', 'POST')).body.status).toBe('rolled_back');
    proposals.set('p2', proposal('p2', alice, 'proposed'));
    expect((await rest('/p2/reject', 'POST')).body.status).toBe('rejected');
  });

  it('in chat, "approve" on the conversation\'s waiting proposal approves and deploys it; without one the agents answer', async () => {
    const openai = new OpenAI({ baseURL: `${gateway.origin}/api/v1`, apiKey: API_KEY, maxRetries: 0 });
    const first = (await openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'approve' }] })) as OpenAI.ChatCompletion & { conversation_id: string };
    expect(first.choices[0].message.content).toBe('ok');
    proposals.set('p1', proposal('p1', alice, 'proposed', first.conversation_id));
    proposals.set('p0', proposal('p0', alice, 'proposed', 'another-conversation'));
    const orchestratorCalls = agents.clients.orchestrator.calls.length;
    const approved = await openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'Yes, deploy it!' }], ...({ conversation_id: first.conversation_id } as object) });
    expect(approved.choices[0].message.content).toMatch(/^Deployed \*\*Turn off Kitchen Light\*\*/);
    expect(proposals.get('p1')?.status).toBe('deployed');
    expect(proposals.get('p0')?.status).toBe('proposed');
    expect(agents.clients.orchestrator.calls.length).toBe(orchestratorCalls);
  });
});

describe('readChatDecision', () => {
  it.each([
    ['approve', 'approve'],
    ['Approve.', 'approve'],
    ['yes, deploy', 'approve'],
    ['Yes, deploy it please', 'approve'],
    ['go ahead', 'approve'],
    ['*approve*', 'approve'],
    ['reject', 'reject'],
    ['No, reject it', 'reject'],
    ['drop it', 'reject'],
    ['roll back', 'rollback'],
    ['Undo that', 'rollback'],
  ])('%s → %s', (message, decision) => {
    expect(readChatDecision(message)?.decision).toBe(decision);
  });

  it('reads a proposal named by its id', () => {
    expect(readChatDecision('approve 3f2a9c1d')).toEqual({ decision: 'approve', named: '3f2a9c1d' });
    expect(readChatDecision('reject 3f2a9c1d-1111-2222-3333-444455556666')).toEqual({ decision: 'reject', named: '3f2a9c1d' });
  });

  it.each(['make it 30 minutes after sunset', 'approve the porch light but at 8pm', 'what did you deploy?', 'yes, but only on weekdays'])('is no decision: %s', (message) => {
    expect(readChatDecision(message)).toBeUndefined();
  });
});
