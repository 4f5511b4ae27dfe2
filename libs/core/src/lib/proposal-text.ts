import type { EntityCommandPayload, Proposal } from './proposals';

/** What the person chatting is told to do with a pending proposal; the gateway's chat approval understands these words. */
export const APPROVAL_INSTRUCTION = 'Nothing changes in Home Assistant until you approve it. Reply *approve* to deploy it, *reject* to drop it, or tell me what to change.';

const KIND_LABEL: Readonly<Record<Proposal['kind'], string>> = {
  entity_command: 'command',
  automation: 'automation',
  script: 'script',
  scene: 'scene',
  helper: 'helper',
  dashboard: 'dashboard',
};

/**
 * A pending proposal as a person reads it before approving: what it does, its risk and why, the
 * exact payload Home Assistant would get, and how to approve, reject or change it.
 */
export function proposalSummary(proposal: Proposal): string {
  const lines = [
    `**Proposal: ${proposal.title}** — ${KIND_LABEL[proposal.kind]} \`${proposal.haId}\`, version ${proposal.version} (id \`${proposal.id}\`)`,
    '',
  ];
  if (proposal.description) lines.push(proposal.description, '');
  if (proposal.risk.level === 'high') lines.push(`**High risk:** ${proposal.risk.reasons.join(' ')}`, '');
  lines.push(proposal.kind === 'entity_command' ? 'The service call:' : `The ${KIND_LABEL[proposal.kind]} config:`);
  lines.push('```json', JSON.stringify(proposal.kind === 'entity_command' ? serviceCall(proposal.payload as EntityCommandPayload) : (proposal.payload as { config?: unknown }).config ?? proposal.payload, null, 2), '```', '');
  lines.push(APPROVAL_INSTRUCTION);
  return lines.join('\n');
}

/** The outcome of a decision on a proposal, one paragraph. */
export function proposalOutcomeText(proposal: Proposal): string {
  const name = `**${proposal.title}** (${KIND_LABEL[proposal.kind]} \`${proposal.haId}\`)`;
  switch (proposal.status) {
    case 'deployed':
      return `Deployed ${name} to Home Assistant.${proposal.kind === 'entity_command' ? '' : ' It is live now.'} To undo it, reply *roll back*.`;
    case 'rolled_back':
      return `Rolled back ${name}: Home Assistant is back to what it had before.`;
    case 'rejected':
      return `Rejected ${name}: nothing was changed in Home Assistant.`;
    case 'failed':
      return `Could not deploy ${name}: ${proposal.failureReason ?? 'Home Assistant refused it.'} Home Assistant was left as it was.`;
    case 'approved':
      return `Approved ${name}.`;
    case 'proposed':
      return proposalSummary(proposal);
  }
}

function serviceCall(payload: EntityCommandPayload): Record<string, unknown> {
  return { action: `${payload.domain}.${payload.service}`, target: { entity_id: payload.entityIds }, ...(payload.data && Object.keys(payload.data).length > 0 ? { data: payload.data } : {}) };
}
