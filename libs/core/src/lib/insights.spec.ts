import { readDsTeamRecordRequest, readDsTeamRecordResult } from './insights';

describe('DS team record protocol', () => {
  it('a request without an action is a question for the team', () => {
    expect(readDsTeamRecordRequest(undefined, 'ds-orchestrator')).toBeUndefined();
    expect(readDsTeamRecordRequest({ hours: 24 }, 'ds-orchestrator')).toBeUndefined();
  });

  it('reads each action with only the fields given', () => {
    expect(readDsTeamRecordRequest({ action: 'list_insights' }, 'ds-orchestrator')).toEqual({ action: 'list_insights' });
    expect(readDsTeamRecordRequest({ action: 'list_insights', status: 'new', type: 'concern', specialist: 'diagnostic', conversationId: 'c', limit: 5 }, 'ds-orchestrator')).toEqual({
      action: 'list_insights',
      status: 'new',
      type: 'concern',
      specialist: 'diagnostic',
      conversationId: 'c',
      limit: 5,
    });
    expect(readDsTeamRecordRequest({ action: 'get_insight', insightId: 'i' }, 'ds-orchestrator')).toEqual({ action: 'get_insight', insightId: 'i' });
    expect(readDsTeamRecordRequest({ action: 'set_insight_status', insightId: 'i', status: 'acted_on' }, 'ds-orchestrator')).toEqual({ action: 'set_insight_status', insightId: 'i', status: 'acted_on' });
    expect(readDsTeamRecordRequest({ action: 'list_reports', limit: 2 }, 'ds-orchestrator')).toEqual({ action: 'list_reports', limit: 2 });
    expect(readDsTeamRecordRequest({ action: 'get_report', reportId: 'r' }, 'ds-orchestrator')).toEqual({ action: 'get_report', reportId: 'r' });
  });

  it.each([
    [{ action: 'delete_everything' }, 'data.action must be one of list_insights, get_insight, set_insight_status, list_reports, get_report'],
    [{ action: 'list_insights', status: 'open' }, 'data.status must be one of new, acknowledged, dismissed, acted_on'],
    [{ action: 'list_insights', type: 'anomaly' }, 'data.type must be one of insight, concern, recommendation, data_quality_flag'],
    [{ action: 'list_insights', specialist: 'plumber' }, 'data.specialist must be one of behavioral, custom, diagnostic, energy'],
    [{ action: 'list_reports', limit: 0 }, 'data.limit must be a positive integer'],
    [{ action: 'get_insight' }, 'data.insightId must be an id'],
    [{ action: 'set_insight_status', insightId: 'i' }, 'data.status must be one of'],
    [{ action: 'get_report', reportId: ' ' }, 'data.reportId must be an id'],
  ])('refuses %j as invalid_input naming the field', (data, message) => {
    expect(() => readDsTeamRecordRequest(data, 'ds-orchestrator')).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining(message) }));
  });

  it('checks the answer where it is received', () => {
    expect(readDsTeamRecordResult({ notFound: 'x' }, 'ds-orchestrator')).toEqual({ notFound: 'x' });
    expect(readDsTeamRecordResult({ insights: [] }, 'ds-orchestrator')).toEqual({ insights: [] });
    expect(readDsTeamRecordResult({ report: { id: 'r' } }, 'ds-orchestrator')).toEqual({ report: { id: 'r' } });
    expect(() => readDsTeamRecordResult({ insights: [{ title: 'no id' }] }, 'ds-orchestrator')).toThrow(expect.objectContaining({ code: 'upstream_error' }));
    expect(() => readDsTeamRecordResult({ something: 'else' }, 'ds-orchestrator')).toThrow(expect.objectContaining({ code: 'upstream_error' }));
  });
});
