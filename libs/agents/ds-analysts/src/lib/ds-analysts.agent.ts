import {
  AgentError,
  crossReference,
  inSpanSteps,
  readCalendarPeriod,
  readFindings,
  readPriorFindings,
  readWindowHours,
  SPECIALISTS,
  type Agent,
  type AgentEvent,
  type AgentRequest,
  type Finding,
} from '@aether/core';
import { AetherAgent } from '@aether/a2a';
import { HomeAssistantClient } from '@aether/home-assistant';
import { Injectable, Optional } from '@nestjs/common';
import { MetricsRegistry } from '@aether/observability';
import { callHomeAssistant } from './analyst-steps';
import { DS_ANALYSTS_CARD } from './ds-analysts.card';
import { BehavioralAnalyst } from './behavioral/behavioral-analyst.service';
import { DiagnosticAnalyst } from './diagnostic/diagnostic-analyst.service';
import { EnergyAnalyst } from './energy/energy-analyst.service';
import { CustomAnalyst } from './custom/custom-analyst.service';

/**
 * The DS analysts service: one agent hosting the specialists, dispatching on
 * `request.data.specialist`: the energy, behavioral and diagnostic analysts, and the custom analysis
 * (a script in a sandbox). Every finding is given
 * the HA devices of its entities; in teamwork the request carries the earlier specialists' findings
 * (`data.priorFindings`): the analyst's own findings then cite those about the same entities or
 * devices, and its report says so.
 */
@Injectable()
@AetherAgent({ name: 'ds-analysts', card: DS_ANALYSTS_CARD })
export class DsAnalystsAgent implements Agent {
  readonly name = 'ds-analysts' as const;

  constructor(
    private readonly energyAnalyst: EnergyAnalyst,
    private readonly behavioralAnalyst: BehavioralAnalyst,
    private readonly diagnosticAnalyst: DiagnosticAnalyst,
    private readonly customAnalyst: CustomAnalyst,
    private readonly homeAssistant: HomeAssistantClient,
    @Optional() metrics?: MetricsRegistry,
  ) {
    this.devices = new DeviceMap(homeAssistant);
    this.durations = metrics?.histogram('aether_analysis_duration_seconds', 'Analyses run by the DS analysts, by specialist and outcome, in seconds', ['specialist', 'outcome'], [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);
  }

  private readonly durations?: ReturnType<MetricsRegistry['histogram']>;
  private readonly devices: DeviceMap;

  async *run(request: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const specialist = request.data?.['specialist'];
    const hours = readWindowHours(request.data, this.name);
    const period = readCalendarPeriod(request.data, this.name);
    const query = typeof request.data?.['query'] === 'string' ? request.data['query'] : request.message;
    const prior = readPriorFindings(request.data, this.name);

    switch (specialist) {
      case 'energy':
        yield* this.timed('energy', citing(this.energyAnalyst.analyse({ hours, period, query }, signal), prior, this.devices));
        return;
      case 'behavioral':
        yield* this.timed('behavioral', citing(this.behavioralAnalyst.analyse({ hours, period, query }, signal), prior, this.devices));
        return;
      case 'diagnostic':
        yield* this.timed('diagnostic', citing(this.diagnosticAnalyst.analyse({ hours, period, query }, signal), prior, this.devices));
        return;
      case 'custom':
        yield* this.timed('custom', citing(this.customAnalyst.analyse({ hours, period, query, model: request.context.model }, signal), prior, this.devices));
        return;
      default:
        throw new AgentError(
          'invalid_input',
          specialist === undefined
            ? `Say which specialist to run: data.specialist must be one of ${SPECIALISTS.join(', ')}.`
            : `Unknown specialist ${JSON.stringify(specialist)}: data.specialist must be one of ${SPECIALISTS.join(', ')}.`,
          this.name,
        );
    }
  }

  /** An analysis as an `analysis <specialist>` span, its duration recorded by specialist and outcome (`aether_analysis_duration_seconds`). */
  private async *timed(specialist: string, analysis: AsyncGenerator<AgentEvent>): AsyncGenerator<AgentEvent> {
    const started = performance.now();
    let outcome = 'stopped';
    try {
      yield* inSpanSteps(`analysis ${specialist}`, { attributes: { 'aether.analysis.specialist': specialist } }, analysis);
      outcome = 'ok';
    } catch (error) {
      outcome = error instanceof AgentError ? error.code : 'internal_error';
      throw error;
    } finally {
      this.durations?.observe({ specialist, outcome }, (performance.now() - started) / 1000);
    }
  }
}

/** How long the entity → device map is reused: devices rarely change, and a large home's registry is a large read. */
const DEVICE_MAP_TTL_MS = 5 * 60_000;

/** The HA device of each entity (HA's entity registry; entities without a device are absent), read at most every few minutes. */
class DeviceMap {
  private cached?: { at: number; map: Promise<Map<string, string>> };

  constructor(private readonly homeAssistant: HomeAssistantClient) {}

  get(): Promise<Map<string, string>> {
    if (!this.cached || Date.now() - this.cached.at > DEVICE_MAP_TTL_MS) {
      const map = callHomeAssistant(() => this.homeAssistant.getEntityRegistry()).then(
        (registry) => new Map(registry.flatMap((entry) => (entry.device_id ? [[entry.entity_id, entry.device_id] as const] : []))),
      );
      // A failed read is not kept: the next analysis asks again.
      map.catch(() => {
        if (this.cached?.map === map) this.cached = undefined;
      });
      this.cached = { at: Date.now(), map };
    }
    return this.cached.map;
  }
}

/**
 * An analyst's events, each finding given the devices of its entities and citing the `prior`
 * findings about the same entities or devices: the references go into its result's findings and,
 * before it, a "Cross-references" section of its report.
 */
async function* citing(analysis: AsyncGenerator<AgentEvent>, prior: Finding[] | undefined, deviceMap: DeviceMap): AsyncGenerator<AgentEvent> {
  for await (const event of analysis) {
    if (event.type !== 'result' || event.data['findings'] === undefined) {
      yield event;
      continue;
    }
    const found = readFindings(event.data['findings'], 'ds-analysts', 'the analyst');
    const devices = found.length > 0 ? await deviceMap.get() : new Map<string, string>();
    const located = found.map((finding) => {
      const ids = [...new Set(finding.entities.flatMap((entity) => devices.get(entity) ?? []))];
      return ids.length > 0 ? { ...finding, devices: ids } : finding;
    });
    const findings = prior && prior.length > 0 ? crossReference(located, prior) : located;
    const lines = findings.flatMap((finding) =>
      (finding.crossReferences ?? []).map(
        (reference) => `- **${finding.title}** ${reference.relation === 'agrees' ? 'agrees with' : 'disagrees with'} the ${reference.specialist} analyst's "${reference.title}" (${reference.entities.join(', ')})`,
      ),
    );
    if (lines.length > 0) {
      yield { type: 'token', agent: 'ds-analysts', content: `\nCross-references to earlier findings (${lines.length}):\n${lines.join('\n')}\n` };
    }
    yield { ...event, data: { ...event.data, findings } };
  }
}
