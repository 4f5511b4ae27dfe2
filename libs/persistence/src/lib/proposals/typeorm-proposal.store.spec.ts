import { ProposalStatusConflict, type ProposalDraft } from '@aether/core';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../../testing';
import { TypeOrmProposalStore } from './typeorm-proposal.store';

const porchAtSunset: ProposalDraft<'automation'> = {
  kind: 'automation',
  title: 'Porch light at sunset',
  description: 'Turns on the porch light at sunset.',
  payload: {
    config: {
      id: 'porch_light_at_sunset',
      alias: 'Porch light at sunset',
      triggers: [{ trigger: 'sun', event: 'sunset' }],
      actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }],
    },
  },
  haId: 'porch_light_at_sunset',
  risk: { level: 'normal', reasons: [] },
};

describe.each(testDatabaseKinds())('TypeOrmProposalStore on %s', (kind) => {
  let db: TestDatabase;
  let store: TypeOrmProposalStore;
  const alice = { userId: 'alice', conversationId: 'c-porch' };

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    store = new TypeOrmProposalStore(db.dataSource);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('stores a draft as proposed, exactly as drafted, for its caller only', async () => {
    const proposal = await store.create(porchAtSunset, alice);
    expect(proposal).toMatchObject({ ...porchAtSunset, ...alice, status: 'proposed', version: 1 });
    expect(proposal.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await store.get(proposal.id, 'alice')).toEqual(proposal);
    expect(await store.get(proposal.id, 'bob')).toBeUndefined();
    expect(await store.get('not-a-uuid', 'alice')).toBeUndefined();
    expect((await store.list({ userId: 'bob' })).map((p) => p.id)).not.toContain(proposal.id);
  });

  it('records who approved and when, then the snapshot and result of the deploy, then the rollback', async () => {
    const proposal = await store.create(porchAtSunset, alice);
    const approved = await store.move(proposal.id, 'alice', 'approved', { approvedBy: 'alice' });
    expect(approved).toMatchObject({ status: 'approved', approvedBy: 'alice' });
    expect(Date.parse(approved!.approvedAt!)).toBeGreaterThan(0);

    const deployed = await store.move(proposal.id, 'alice', 'deployed', { snapshot: null, deployResult: { entityId: 'automation.porch_light_at_sunset' } });
    expect(deployed).toMatchObject({ status: 'deployed', snapshot: null, deployResult: { entityId: 'automation.porch_light_at_sunset' }, approvedBy: 'alice' });

    const rolledBack = await store.move(proposal.id, 'alice', 'rolled_back');
    expect(rolledBack).toMatchObject({ status: 'rolled_back', snapshot: null });
  });

  it('refuses moves the status does not allow, and other callers see no proposal to move', async () => {
    const proposal = await store.create(porchAtSunset, alice);
    await expect(store.move(proposal.id, 'alice', 'deployed')).rejects.toEqual(new ProposalStatusConflict(proposal.id, 'proposed', 'deployed'));
    expect(await store.move(proposal.id, 'bob', 'approved', { approvedBy: 'bob' })).toBeUndefined();
    await store.move(proposal.id, 'alice', 'rejected', { failureReason: 'Not now.' });
    await expect(store.move(proposal.id, 'alice', 'approved', { approvedBy: 'alice' })).rejects.toBeInstanceOf(ProposalStatusConflict);
    expect(await store.get(proposal.id, 'alice')).toMatchObject({ status: 'rejected', failureReason: 'Not now.' });
  });

  it('lets exactly one of two concurrent approvals win', async () => {
    const proposal = await store.create(porchAtSunset, alice);
    const outcomes = await Promise.allSettled([
      store.move(proposal.id, 'alice', 'approved', { approvedBy: 'first' }),
      store.move(proposal.id, 'alice', 'approved', { approvedBy: 'second' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof ProposalStatusConflict)).toHaveLength(1);
  });

  it('keeps the reason of a failed deploy, and a failed proposal may be approved again', async () => {
    const proposal = await store.create(porchAtSunset, alice);
    await store.move(proposal.id, 'alice', 'approved', { approvedBy: 'alice' });
    const failed = await store.move(proposal.id, 'alice', 'failed', { failureReason: 'Message malformed: invalid trigger' });
    expect(failed).toMatchObject({ status: 'failed', failureReason: 'Message malformed: invalid trigger' });
    const retried = await store.move(proposal.id, 'alice', 'approved', { approvedBy: 'alice' });
    expect(retried?.status).toBe('approved');
    expect(retried?.failureReason).toBeUndefined();
  });

  it('gives a revision the next version and retires the revised draft, so only the newest can be approved', async () => {
    const first = await store.create(porchAtSunset, { userId: 'alice', conversationId: 'c-revise' });
    const revision = await store.create(
      { ...porchAtSunset, title: 'Porch light 30 minutes after sunset', revises: first.id, payload: { config: { ...porchAtSunset.payload.config, triggers: [{ trigger: 'sun', event: 'sunset', offset: '00:30:00' }] } } },
      { userId: 'alice', conversationId: 'c-revise' },
    );
    expect(revision).toMatchObject({ version: 2, revises: first.id, status: 'proposed' });
    expect(await store.get(first.id, 'alice')).toMatchObject({ status: 'rejected', failureReason: 'Replaced by version 2.' });
    await expect(store.create({ ...porchAtSunset, revises: first.id }, { userId: 'bob', conversationId: 'c-bob' })).rejects.toThrow(/does not exist/);

    const pending = await store.list({ userId: 'alice', conversationId: 'c-revise', status: 'proposed' });
    expect(pending.map((p) => p.id)).toEqual([revision.id]);
  });
});
