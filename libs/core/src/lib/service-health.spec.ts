import { combineHomeAssistantAccess, readServiceHealthDetails } from './service-health';

const NOT_ADMIN = "config APIs unavailable: the HA token's user is not an administrator";

describe('service health details', () => {
  it("reads the HA token's rights from an agent service's terminus-shaped /health body", () => {
    const body = { status: 'ok', info: { developer: { status: 'up', homeAssistantAccess: { admin: false, limitations: [NOT_ADMIN] } } }, error: {}, details: {} };
    expect(readServiceHealthDetails(body, 'developer')).toEqual({ homeAssistantAccess: { admin: false, limitations: [NOT_ADMIN] } });
  });

  it.each([
    ['no body', undefined],
    ['another agent', { info: { librarian: { status: 'up', homeAssistantAccess: { admin: true, limitations: [] } } } }],
    ['no details', { info: { developer: { status: 'up' } } }],
    ['a malformed admin flag', { info: { developer: { homeAssistantAccess: { admin: 'no', limitations: [] } } } }],
    ['malformed limitations', { info: { developer: { homeAssistantAccess: { admin: false, limitations: [42] } } } }],
  ])('leaves out what is missing or malformed: %s', (_case, body) => {
    expect(readServiceHealthDetails(body, 'developer')).toEqual({});
  });

  it('combines reports of one token: not an administrator once any process learnt so, an administrator once all did, else unknown', () => {
    const admin = { admin: true, limitations: [] };
    const unknown = { admin: null, limitations: [] };
    const notAdmin = { admin: false, limitations: [NOT_ADMIN] };
    expect(combineHomeAssistantAccess([])).toBeUndefined();
    expect(combineHomeAssistantAccess([admin, admin])).toEqual(admin);
    expect(combineHomeAssistantAccess([admin, unknown])).toEqual(unknown);
    expect(combineHomeAssistantAccess([unknown, notAdmin, notAdmin])).toEqual(notAdmin);
  });
});
