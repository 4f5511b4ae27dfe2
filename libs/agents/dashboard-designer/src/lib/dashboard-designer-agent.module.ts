import { agentCardToken, agentProviderToken } from '@aether/core';
import { Module } from '@nestjs/common';
import { DashboardDesignerAgent } from './dashboard-designer.agent';
import { DASHBOARD_DESIGNER_CARD } from './dashboard-designer.card';

/** Provides the Dashboard Designer agent and its card; constructing it does no I/O. */
@Module({
  providers: [
    { provide: agentProviderToken('dashboard-designer'), useFactory: () => new DashboardDesignerAgent() },
    { provide: agentCardToken('dashboard-designer'), useValue: DASHBOARD_DESIGNER_CARD },
  ],
  exports: [agentProviderToken('dashboard-designer'), agentCardToken('dashboard-designer')],
})
export class DashboardDesignerAgentModule {}
