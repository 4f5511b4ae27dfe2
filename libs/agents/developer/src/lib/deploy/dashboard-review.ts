import type { DashboardPayload, ProposalDraft } from '@aether/core';
import { lovelaceUrlPathProblem, reviewLovelaceConfig } from '@aether/home-assistant';
import type { DraftReview, LiveHome } from './draft-review';

/**
 * Why a dashboard draft cannot be proposed: HA's rules for its url path, a Lovelace config HA's
 * own frontend renders (shipped views, sections and card types: `reviewLovelaceConfig`), and
 * every entity it shows existing in the live home. A dashboard only shows and offers the controls
 * HA already offers, so its risk is normal.
 */
export function reviewDashboardDraft(draft: ProposalDraft, home: LiveHome): DraftReview {
  const payload = draft.payload as Partial<DashboardPayload>;
  const errors: string[] = [];
  const pathProblem = lovelaceUrlPathProblem(payload.urlPath);
  if (pathProblem) errors.push(pathProblem);
  else if (payload.urlPath !== draft.haId) errors.push(`The dashboard's url path "${payload.urlPath}" must be the proposal's haId "${draft.haId}".`);
  if (typeof payload.title !== 'string' || payload.title.trim() === '') errors.push('A dashboard needs a title (payload.title).');
  const review = reviewLovelaceConfig(payload.config);
  errors.push(...review.errors);
  const known = new Set(home.states.map((state) => state.entity_id));
  for (const id of review.entityIds) if (!known.has(id)) errors.push(`Unknown entity "${id}": Home Assistant has no such entity.`);
  return { errors, risk: { level: 'normal', reasons: [] } };
}
