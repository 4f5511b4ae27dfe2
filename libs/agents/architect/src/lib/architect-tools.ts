import type { AgentClient, CallContext } from '@aether/core';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { createCatalogTools } from './catalog/catalog.tools';
import { createConsultDataScienceTeamTool } from './consult-data-science-team.tool';
import { createProposalTools } from './proposals/proposal.tools';

export interface ArchitectToolDeps {
  librarian: AgentClient;
  dataScienceTeam: AgentClient;
  /** Absent where this deployment has no Developer: the Architect then proposes nothing. */
  developer?: AgentClient;
  context: CallContext;
  signal: AbortSignal;
}

/** Every tool the Architect binds for one run — one list, so the prompt budget test measures what the model receives. */
export function createArchitectTools(deps: ArchitectToolDeps): StructuredToolInterface[] {
  const { librarian, dataScienceTeam, developer, context, signal } = deps;
  return [
    ...createCatalogTools({ librarian, context, signal }),
    createConsultDataScienceTeamTool(dataScienceTeam, context, signal),
    ...(developer ? createProposalTools({ developer, dataScienceTeam, context, signal }) : []),
  ];
}
