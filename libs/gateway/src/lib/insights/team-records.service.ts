import { AgentDirectory } from '@aether/agent-runtime';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { readDsTeamRecordResult, type DsTeamRecordRequest, type DsTeamRecordResult } from '@aether/core';
import { Inject, Injectable } from '@nestjs/common';

/** The conversation id REST calls travel under (A2A needs a context id; record actions do not use it). */
const REST_CONTEXT = 'insights-api';

/**
 * The gateway's side of the data science team's records: every read and change goes to the DS
 * orchestrator (in-process or over A2A, like any agent), which keeps the reports and insights, so
 * every deployment mode answers from the same place.
 */
@Injectable()
export class TeamRecords {
  constructor(
    private readonly agents: AgentDirectory,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
  ) {}

  async ask(userId: string, data: DsTeamRecordRequest): Promise<DsTeamRecordResult> {
    const { data: result } = await this.agents.client('ds-orchestrator').send({
      message: data.action,
      history: [],
      data: data as unknown as Record<string, unknown>,
      context: { userId, conversationId: REST_CONTEXT, deadline: Date.now() + this.config.agentCalls.requestDeadlineMs },
    });
    return readDsTeamRecordResult(result, 'ds-orchestrator');
  }
}
