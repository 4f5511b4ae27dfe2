import type { Proposal, ProposalDraft, ProposalKind } from '@aether/core';
import { validateHaConfig, type HaConfigKind } from '@aether/home-assistant';
import { reviewDraft, type DraftReview, type LiveHome } from './draft-review';
import type { EntityCommandDeployer } from './entity-command-deployer';
import type { Deployment, ProposalDeployer } from './proposal-deployer';

/** How the Developer checks, deploys and rolls back one kind of proposal. */
export interface ProposalKindHandler {
  /** Why the draft cannot be proposed (HA's schema, then the live home), and its risk. */
  review(draft: ProposalDraft, home: LiveHome): DraftReview;
  /** Deploys an approved proposal; throws `DeployFailure` (HA left as it was) when it cannot. */
  deploy(proposal: Proposal): Promise<Deployment>;
  /** Puts back what a deployed proposal replaced; throws `DeployFailure` when it cannot. */
  rollback(proposal: Proposal): Promise<Record<string, unknown>>;
}

/**
 * The kinds this Developer deploys, one handler each; a kind without one is refused at `propose`,
 * so it never waits for an approval that could not be carried out.
 */
export class ProposalKinds {
  private readonly handlers = new Map<ProposalKind, ProposalKindHandler>();

  register(kind: ProposalKind, handler: ProposalKindHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  get(kind: ProposalKind): ProposalKindHandler | undefined {
    return this.handlers.get(kind);
  }

  /** automation / script / scene through HA's config API, entity commands as service calls. */
  static standard(configs: ProposalDeployer, commands: EntityCommandDeployer): ProposalKinds {
    const kinds = new ProposalKinds();
    for (const kind of ['automation', 'script', 'scene'] as const satisfies readonly HaConfigKind[]) {
      kinds.register(kind, {
        review: (draft, home) => reviewConfigDraft(kind, draft, home),
        deploy: (proposal) => configs.deploy(proposal),
        rollback: (proposal) => configs.rollback(proposal),
      });
    }
    return kinds.register('entity_command', {
      review: (draft, home) => reviewCommandDraft(draft, home),
      deploy: (proposal) => commands.deploy(proposal),
      rollback: (proposal) => commands.rollback(proposal),
    });
  }
}

/** HA's schema first (what its config API would refuse), then the live home. */
function reviewConfigDraft(kind: HaConfigKind, draft: ProposalDraft, home: LiveHome): DraftReview {
  const config = (draft.payload as { config?: unknown }).config;
  const verdict = validateHaConfig(kind, draft.haId, config);
  const review = reviewDraft(draft, home);
  const errors = verdict.ok ? [] : [`Home Assistant would refuse this ${kind}: ${verdict.reason}`];
  const id = (config as { id?: unknown } | undefined)?.id;
  if (kind !== 'script' && id !== undefined && id !== draft.haId) errors.push(`The ${kind}'s id "${String(id)}" must be the proposal's haId "${draft.haId}".`);
  return { errors: [...errors, ...review.errors], risk: review.risk };
}

function reviewCommandDraft(draft: ProposalDraft, home: LiveHome): DraftReview {
  const payload = draft.payload as Partial<ProposalDraft<'entity_command'>['payload']>;
  const errors: string[] = [];
  if (typeof payload.domain !== 'string' || typeof payload.service !== 'string') errors.push('An entity command needs payload.domain and payload.service (e.g. "light" and "turn_off").');
  if (!Array.isArray(payload.entityIds) || payload.entityIds.length === 0 || !payload.entityIds.every((id) => typeof id === 'string')) {
    errors.push('An entity command needs payload.entityIds: the entity ids it acts on.');
  }
  if (payload.data !== undefined && (typeof payload.data !== 'object' || payload.data === null || Array.isArray(payload.data))) errors.push('payload.data must be an object of service data.');
  if (errors.length > 0) return { errors, risk: { level: 'normal', reasons: [] } };
  const review = reviewDraft(draft, home);
  const domains = new Set(payload.entityIds!.map((id) => id.split('.')[0]));
  // HA's own entity services act on entities of their domain (homeassistant.* acts on any).
  if (payload.domain !== 'homeassistant' && [...domains].some((domain) => domain !== payload.domain)) {
    review.errors.push(`${payload.domain}.${payload.service} acts on ${payload.domain} entities, not on ${payload.entityIds!.filter((id) => !id.startsWith(`${payload.domain}.`)).join(', ')}.`);
  }
  return review;
}
