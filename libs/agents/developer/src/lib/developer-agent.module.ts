import { HomeAssistantClient } from '@aether/home-assistant';
import { Module } from '@nestjs/common';
import { DeveloperAgent } from './developer.agent';
import { DashboardDeployer } from './deploy/dashboard-deployer';
import { reviewDashboardDraft } from './deploy/dashboard-review';
import { EntityCommandDeployer } from './deploy/entity-command-deployer';
import { HelperDeployer, reviewHelperDraft } from './deploy/helper-deployer';
import { ProposalDeployer } from './deploy/proposal-deployer';
import { ProposalKinds } from './deploy/proposal-kinds';

/**
 * The Developer agent. Needs `HomeAssistantClient` (global where its row says `homeAssistant`) and
 * `ProposalStore` (the global `PersistenceModule`, where its row says `database`); constructing it
 * does no I/O.
 */
@Module({
  providers: [
    {
      provide: ProposalKinds,
      inject: [HomeAssistantClient],
      useFactory: (ha: HomeAssistantClient) => {
        const dashboards = new DashboardDeployer(ha);
        const helpers = new HelperDeployer(ha);
        return ProposalKinds.standard(new ProposalDeployer(ha), new EntityCommandDeployer(ha))
          .register('dashboard', {
            review: reviewDashboardDraft,
            deploy: (proposal) => dashboards.deploy(proposal),
            rollback: (proposal) => dashboards.rollback(proposal),
          })
          .register('helper', {
            review: reviewHelperDraft,
            deploy: (proposal) => helpers.deploy(proposal),
            rollback: (proposal) => helpers.rollback(proposal),
          });
      },
    },
    DeveloperAgent,
  ],
  exports: [ProposalKinds],
})
export class DeveloperAgentModule {}
