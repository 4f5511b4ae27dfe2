import { AgentError, readCalendarPeriod, readWindowHours, SPECIALISTS, type Agent, type AgentEvent, type AgentRequest } from '@aether/core';
import { AetherAgent } from '@aether/a2a';
import { Injectable } from '@nestjs/common';
import { DS_ANALYSTS_CARD } from './ds-analysts.card';
import { BehavioralAnalyst } from './behavioral/behavioral-analyst.service';
import { DiagnosticAnalyst } from './diagnostic/diagnostic-analyst.service';
import { EnergyAnalyst } from './energy/energy-analyst.service';

/**
 * The DS analysts service: one agent hosting the specialists, dispatching on
 * `request.data.specialist`: the energy, behavioral and diagnostic analysts.
 */
@Injectable()
@AetherAgent({ name: 'ds-analysts', card: DS_ANALYSTS_CARD })
export class DsAnalystsAgent implements Agent {
  readonly name = 'ds-analysts' as const;

  constructor(
    private readonly energyAnalyst: EnergyAnalyst,
    private readonly behavioralAnalyst: BehavioralAnalyst,
    private readonly diagnosticAnalyst: DiagnosticAnalyst,
  ) {}

  async *run(request: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const specialist = request.data?.['specialist'];
    const hours = readWindowHours(request.data, this.name);
    const period = readCalendarPeriod(request.data, this.name);
    const query = typeof request.data?.['query'] === 'string' ? request.data['query'] : request.message;

    switch (specialist) {
      case 'energy':
        yield* this.energyAnalyst.analyse({ hours, period, query }, signal);
        return;
      case 'behavioral':
        yield* this.behavioralAnalyst.analyse({ hours, period, query }, signal);
        return;
      case 'diagnostic':
        yield* this.diagnosticAnalyst.analyse({ hours, period, query }, signal);
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
}
