import { ReadableStream } from 'node:stream/web';
import {
  AgentError,
  crossReference,
  readCalendarPeriod,
  readDepth,
  readDsTeamRecordRequest,
  readSpecialists,
  readStrategy,
  readSynthesisMode,
  readWindowHours,
  truncate,
  type Agent,
  type AgentClient,
  type AgentEvent,
  type AgentRequest,
  type AnalysisDepth,
  type AnalysisStrategy,
  type DsTeamRecordRequest,
  type Finding,
  type DsTeamRecordResult,
  type ImageEvent,
} from '@aether/core';
import { AetherAgent } from '@aether/a2a';
import { InjectAgent } from '@aether/agent-runtime';
import { InsightStore } from '@aether/persistence';
import { Injectable } from '@nestjs/common';
import { resolveWindow, teamWindowLabel, windowFor, windowSpan, type AnalysisWindow } from './analysis-window';
import { DS_ORCHESTRATOR_CARD } from './ds-orchestrator.card';
import { selectSpecialists, type Specialist } from './specialist-selection';
import { formatTeamReport, SPECIALIST_TITLES, type SpecialistOutcome } from './team-report.format';
import { readFindings, synthesizeTeamFindings } from './team-synthesis';
import { asksForNarrative, narrativeLines, TeamNarrator, type Narrative } from './team-narrator';

/**
 * The data science team lead: picks the specialists a question needs, consults them through the
 * `ds-analysts` agent (their progress is forwarded live) — in parallel, or in teamwork one after
 * another, each seeing the earlier findings — holds a discussion round when the strategy and depth
 * call for one (teamwork; conflicting parallel findings; `deep`), and writes the team report with
 * a programmatic synthesis — and, on request, one in words by the team's model (`TeamNarrator`).
 * Input: the question as `message`; optional `data.hours` or `data.period` (see `resolveWindow`;
 * without one each analyst gets its default window), `data.specialists`, `data.strategy` (default
 * parallel), `data.depth` (default standard) and `data.synthesis` (default `programmatic`, `llm`
 * when the question asks for a summary).
 * Every run is kept as a report, its findings as insights and its analysts' pictures (charts) as
 * artifacts of the caller's (`InsightStore`) — an `artifact` event links each one to the answer;
 * `data.action` (see `DS_TEAM_RECORD_ACTIONS`) reads and moves those records instead.
 */
@Injectable()
@AetherAgent({ name: 'ds-orchestrator', card: DS_ORCHESTRATOR_CARD })
export class DsOrchestratorAgent implements Agent {
  readonly name = 'ds-orchestrator' as const;

  constructor(
    @InjectAgent('ds-analysts') private readonly analysts: AgentClient,
    private readonly records: InsightStore,
    private readonly narrator: TeamNarrator = TeamNarrator.offline,
  ) {}

  async *run(request: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    if (signal.aborted) throw new AgentError('cancelled', 'The request was cancelled.', this.name);
    const recordRequest = readDsTeamRecordRequest(request.data, this.name);
    if (recordRequest) {
      yield { type: 'result', agent: this.name, data: await this.answerRecords(recordRequest, request.context.userId) };
      return;
    }
    const query = request.message;
    const window = resolveWindow({ hours: readWindowHours(request.data, this.name), period: readCalendarPeriod(request.data, this.name) }, query);
    const strategy: AnalysisStrategy = readStrategy(request.data, this.name) ?? 'parallel';
    const depth: AnalysisDepth = readDepth(request.data, this.name) ?? 'standard';
    const inWords = (readSynthesisMode(request.data, this.name) ?? (asksForNarrative(query) ? 'llm' : 'programmatic')) === 'llm';
    const selected = selectSpecialists(query, readSpecialists(request.data, this.name));
    const specialists = strategy === 'teamwork' ? TEAMWORK_ORDER.filter((s) => selected.includes(s)) : selected;

    const windowText = teamWindowLabel(window, specialists);
    const how = strategy === 'teamwork' ? ` in turn (${specialists.join(' → ')})` : '';
    yield this.status(`consulting the ${specialists.join(', ')} analyst(s)${how} over ${window && 'period' in window ? '' : 'a '}${windowText}…`);

    const outcomes = new Map<Specialist, SpecialistOutcome>();
    // Cancels the calls still running when the run fails, is cancelled, or its consumer stops.
    const calls = new AbortController();
    const cancelCalls = () => calls.abort(signal.reason);
    signal.addEventListener('abort', cancelCalls, { once: true });

    // The specialists' calls (concurrent, or one after another in teamwork); a web ReadableStream
    // merges their forwarded events into this generator in arrival order and ends (or fails) when
    // all of them have settled.
    const events = new ReadableStream<AgentEvent>({
      start: (controller) => {
        let open = true;
        const emit = (event: AgentEvent) => {
          if (open) controller.enqueue(event);
        };
        const consult = async (specialist: Specialist, prior: Finding[]) => {
          const outcome = await this.consult(specialist, { window, query, request, prior }, emit, calls.signal);
          outcomes.set(specialist, outcome);
          return outcome.status === 'completed' ? outcome.findings : [];
        };
        const runs =
          strategy === 'teamwork'
            ? specialists.reduce<Promise<Finding[]>>(async (earlier, specialist) => {
                const prior = await earlier;
                return [...prior, ...(await consult(specialist, prior))];
              }, Promise.resolve([]))
            : Promise.all(specialists.map((specialist) => consult(specialist, [])));
        runs.then(
          () => {
            open = false;
            controller.close();
          },
          (error: unknown) => {
            open = false;
            calls.abort();
            controller.error(error);
          },
        );
      },
      cancel: () => calls.abort(),
    });

    try {
      for await (const event of events) yield event;
    } finally {
      signal.removeEventListener('abort', cancelCalls);
      calls.abort();
    }

    let ordered = specialists.map((s) => outcomes.get(s) as SpecialistOutcome);
    const conflicts = synthesizeTeamFindings(
      ordered.flatMap((o) => (o.status === 'completed' ? o.findings : [])),
      ordered.filter((o) => o.status === 'completed').length,
    ).conflicts;
    const discussionCalledFor = strategy === 'teamwork' || depth === 'deep' || conflicts.length > 0;
    let discussion: string[] | undefined;
    if (depth !== 'quick' && discussionCalledFor && ordered.filter((o) => o.status === 'completed').length >= 2) {
      if (strategy === 'parallel' && conflicts.length > 0) yield this.status(`escalating to a discussion round: the specialists disagree (${truncate(conflicts.join('; '), 200)})`);
      else yield this.status('discussion round…');
      ({ outcomes: ordered, lines: discussion } = discussionRound(ordered));
    }
    const completed = ordered.filter((o) => o.status === 'completed');
    const synthesis = synthesizeTeamFindings(
      completed.flatMap((o) => o.findings),
      completed.length,
    );
    const lines = formatTeamReport({ window: windowText, outcomes: ordered, synthesis, strategy, depth, discussion });
    let narrative: Narrative | undefined;
    if (inWords && completed.length > 0) {
      yield this.status('writing the synthesis in words…');
      narrative = await this.narrator.narrate(query, lines.join('\n'), request.context.model, signal);
      lines.push(...narrativeLines(narrative));
    }
    // Kept before it is told, so an answer the caller read is always on record.
    const { report, insights, artifacts } = await this.records.saveReport(
      {
        conversationId: request.context.conversationId,
        question: query,
        window: windowText,
        strategy,
        depth,
        specialists: ordered.map((o) => ({ specialist: o.specialist, status: o.status, findings: o.status === 'completed' ? o.findings.length : 0 })),
        summary: lines.join('\n'),
        consensus: synthesis.consensus,
        conflicts: synthesis.conflicts,
        recommendations: synthesis.recommendations,
        findings: completed.flatMap((o) => o.findings),
        images: completed.flatMap((o) => o.images.map(({ title, mediaType, data }) => ({ title, mediaType, data }))),
      },
      { userId: request.context.userId, conversationId: request.context.conversationId },
    );
    for (const line of lines) {
      yield { type: 'token', agent: this.name, content: `${line}\n` };
    }
    for (const { id, title, mediaType, accessToken } of artifacts) {
      yield { type: 'artifact', agent: this.name, artifactId: id, title, mediaType, accessToken };
    }
    yield {
      type: 'result',
      agent: this.name,
      data: {
        reportId: report.id,
        insightIds: insights.map((insight) => insight.id),
        artifactIds: artifacts.map((artifact) => artifact.id),
        strategy,
        depth,
        ...window,
        windows: Object.fromEntries(specialists.map((s) => [s, windowFor(window, s)])),
        query,
        specialists,
        reports: Object.fromEntries(
          ordered.map((o) => [o.specialist, o.status === 'completed' ? { status: o.status, data: o.data } : { status: o.status, message: o.message }]),
        ),
        synthesis,
        ...(narrative ? { narrative } : {}),
      },
    };
  }

  /**
   * One specialist call. Its tokens are its report section; its `result` data feeds the synthesis
   * (and this agent's own result); every other event is forwarded as it arrives. `not_implemented`
   * becomes a "not available yet" section; any other failure fails the team run.
   */
  private async consult(
    specialist: Specialist,
    { window, query, request, prior }: { window: AnalysisWindow | undefined; query: string; request: AgentRequest; prior: Finding[] },
    emit: (event: AgentEvent) => void,
    signal: AbortSignal,
  ): Promise<SpecialistOutcome> {
    const specialistWindow = windowFor(window, specialist);
    emit({ type: 'delegation', agent: this.name, target: 'ds-analysts', content: `${specialist} analysis over ${windowSpan(specialistWindow)}: ${truncate(query, 200)}` });
    emit(this.status(`${specialist} analyst running…`));
    let report = '';
    let data: Record<string, unknown> = {};
    const images: ImageEvent[] = [];
    try {
      const stream = this.analysts.stream(
        { message: query, history: [], data: { specialist, ...specialistWindow, query, ...(prior.length > 0 ? { priorFindings: prior } : {}) }, context: request.context },
        { signal },
      );
      for await (const event of stream) {
        if (event.type === 'token') report += event.content;
        else if (event.type === 'result') data = { ...data, ...event.data };
        // Kept with the report below; what goes on up is a link to it.
        else if (event.type === 'image') images.push(event);
        else emit(event);
      }
    } catch (error) {
      if (error instanceof AgentError && error.code === 'not_implemented') {
        emit(this.status(`${specialist} analyst is not available yet`));
        return { specialist, status: 'not_available', message: error.message };
      }
      throw error;
    }
    const findings = readFindings(data, specialist);
    emit(this.status(`${specialist} analyst finished (${findings.length} finding(s))`));
    return { specialist, status: 'completed', report, data, findings, images };
  }

  /** A record action on the caller's reports and insights; an id the caller has none of is `notFound`. */
  private async answerRecords(request: DsTeamRecordRequest, userId: string): Promise<DsTeamRecordResult> {
    switch (request.action) {
      case 'list_insights': {
        const { action: _action, ...query } = request;
        return { insights: await this.records.listInsights(userId, query) };
      }
      case 'get_insight': {
        const insight = await this.records.getInsight(request.insightId, userId);
        return insight ? { insight } : { notFound: request.insightId };
      }
      case 'set_insight_status': {
        const insight = await this.records.setInsightStatus(request.insightId, userId, request.status);
        return insight ? { insight } : { notFound: request.insightId };
      }
      case 'list_reports':
        return { reports: await this.records.listReports(userId, { ...(request.conversationId ? { conversationId: request.conversationId } : {}), ...(request.limit ? { limit: request.limit } : {}) }) };
      case 'get_report': {
        const report = await this.records.getReport(request.reportId, userId);
        return report ? { report } : { notFound: request.reportId };
      }
      case 'get_artifact': {
        const artifact = await this.records.getArtifact(request.artifactId, request.accessToken !== undefined ? { accessToken: request.accessToken } : { userId });
        return artifact ? { artifact } : { notFound: request.artifactId };
      }
    }
  }

  private status(content: string): AgentEvent {
    return { type: 'status', agent: this.name, content };
  }
}

/** Teamwork's order: what was consumed first, then how people live with it, then what is broken, then what no one else covers. */
const TEAMWORK_ORDER: readonly Specialist[] = ['energy', 'behavioral', 'diagnostic', 'custom'];

/**
 * The discussion round, in code: each specialist's findings are set against every other
 * specialist's about the same entities or devices (agreements and disagreements recorded as
 * cross-references, see `crossReference`) — so earlier specialists answer later ones too — and each
 * pairing not already cited in teamwork becomes one line of the report's discussion.
 */
export function discussionRound(outcomes: readonly SpecialistOutcome[]): { outcomes: SpecialistOutcome[]; lines: string[] } {
  const all = outcomes.flatMap((o) => (o.status === 'completed' ? o.findings : []));
  const lines: string[] = [];
  const pairOf = (a: { specialist: string; title: string }, b: { specialist: string; title: string }) => [`${a.specialist}:${a.title}`, `${b.specialist}:${b.title}`].sort().join('|');
  const said = new Set(all.flatMap((finding) => (finding.crossReferences ?? []).map((reference) => pairOf(finding, reference))));
  const discussed = outcomes.map((outcome): SpecialistOutcome => {
    if (outcome.status !== 'completed') return outcome;
    const findings = crossReference(outcome.findings, all);
    for (const finding of findings) {
      for (const reference of finding.crossReferences ?? []) {
        const pair = pairOf(finding, reference);
        if (said.has(pair)) continue;
        said.add(pair);
        lines.push(
          `${SPECIALIST_TITLES[outcome.specialist]}: "${finding.title}" ${reference.relation === 'agrees' ? 'agrees with' : 'disagrees with'} the ${SPECIALIST_TITLES[reference.specialist]}'s "${reference.title}" (${reference.entities.join(', ')})`,
        );
      }
    }
    return { ...outcome, findings };
  });
  return { outcomes: discussed, lines };
}
