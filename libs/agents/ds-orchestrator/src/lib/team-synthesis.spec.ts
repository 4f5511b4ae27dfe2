import { readFindings, synthesizeTeamFindings, type TeamFinding } from './team-synthesis';

const finding = (overrides: Partial<TeamFinding>): TeamFinding => ({
  specialist: 'energy',
  type: 'insight',
  title: 'A finding',
  description: 'details',
  confidence: 0.8,
  entities: [],
  evidence: {},
  ...overrides,
});

describe('synthesizeTeamFindings', () => {
  it('promotes confident recommendations and summarises the findings', () => {
    const synthesis = synthesizeTeamFindings(
      [
        finding({ title: 'Heat pump is the top consumer at 43 % of total', confidence: 0.9 }),
        finding({ type: 'recommendation', title: 'Review when Heat pump runs', description: 'It uses 43 %.', confidence: 0.7 }),
        finding({ type: 'recommendation', title: 'Unsure idea', confidence: 0.5 }),
        finding({ type: 'concern', title: '31 % untracked', confidence: 0.8 }),
      ],
      1,
    );
    expect(synthesis.recommendations).toEqual(['Review when Heat pump runs: It uses 43 %.']);
    expect(synthesis.conflicts).toEqual([]);
    expect(synthesis.consensus).toBe(
      'Analysis synthesized 4 finding(s) from 1 specialist(s). 1 point(s) need attention. Most confident finding: Heat pump is the top consumer at 43 % of total.',
    );
  });

  it('reports conflicts and entities flagged by several specialists', () => {
    const synthesis = synthesizeTeamFindings(
      [
        finding({ specialist: 'energy', type: 'insight', entities: ['sensor.heat_pump'] }),
        finding({ specialist: 'diagnostic', type: 'concern', entities: ['sensor.heat_pump'] }),
      ],
      2,
    );
    expect(synthesis.conflicts).toEqual(['sensor.heat_pump: diagnostic flagged concerns while energy found positive patterns']);
    expect(synthesis.recommendations).toEqual(['Review sensor.heat_pump — flagged by 2 specialists']);
  });

  it('says when no specialist could report', () => {
    expect(synthesizeTeamFindings([], 0).consensus).toBe('No specialist could analyse this question in this version of Aether.');
  });
});

describe('readFindings', () => {
  it("reads an analyst's well-formed findings, and none when it sent none", () => {
    const good = finding({});
    expect(readFindings({ findings: [good] }, 'energy')).toEqual([good]);
    expect(readFindings({}, 'energy')).toEqual([]);
  });

  it('fails on a malformed finding instead of dropping it', () => {
    expect(() => readFindings({ findings: [finding({}), { title: 'no type' }] }, 'behavioral')).toThrow(
      expect.objectContaining({ code: 'upstream_error', message: expect.stringMatching(/^the behavioral analyst sent an invalid finding: findings\[1\]/) }),
    );
  });
});
