import { structuredPatch } from 'diff';
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
  const config = (proposal.payload as { config?: unknown }).config;
  if (proposal.replaces && config !== undefined) lines.push(...changes(proposal, config), '');
  const configLabel = proposal.kind === 'helper' ? `${(proposal.payload as { domain?: string }).domain} helper` : KIND_LABEL[proposal.kind];
  lines.push(proposal.kind === 'entity_command' ? 'The service call:' : `The ${configLabel} config:`);
  lines.push('```json', JSON.stringify(proposal.kind === 'entity_command' ? serviceCall(proposal.payload as EntityCommandPayload) : config ?? proposal.payload, null, 2), '```', '');
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

/**
 * How the proposed config differs from the one Home Assistant has under the same id, as a unified
 * diff of both written with sorted keys (HA stores keys in its own order) and with the id HA adds
 * to a stored automation.
 */
function changes(proposal: Proposal, config: unknown): string[] {
  const label = KIND_LABEL[proposal.kind];
  const withId = (value: unknown) => (proposal.kind === 'automation' && isRecord(value) && value['id'] === undefined ? { id: proposal.haId, ...value } : value);
  const before = `${JSON.stringify(sortedKeys(withId(proposal.replaces)), null, 2)}\n`;
  const after = `${JSON.stringify(sortedKeys(withId(config)), null, 2)}\n`;
  if (before === after) return [`It is the same as the ${label} \`${proposal.haId}\` Home Assistant has now: approving it changes nothing.`];
  const { hunks } = structuredPatch('', '', before, after, '', '', { context: 2 });
  const diff = hunks.flatMap((hunk) => [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines]);
  return [`It changes the ${label} \`${proposal.haId}\` Home Assistant has now (- now, + proposed):`, '```diff', ...diff, '```'];
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys(value[key])]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function serviceCall(payload: EntityCommandPayload): Record<string, unknown> {
  return { action: `${payload.domain}.${payload.service}`, target: { entity_id: payload.entityIds }, ...(payload.data && Object.keys(payload.data).length > 0 ? { data: payload.data } : {}) };
}

/** What a chat message decides about the conversation's proposal. */
export type ChatDecision = 'approve' | 'reject' | 'rollback';

const POLITE = String.raw`(?:\s+(?:please|now|thanks|thank\s+you))?`;
const DECISIONS: ReadonlyArray<[ChatDecision, RegExp]> = [
  ['approve', new RegExp(String.raw`^(?:(?:yes|yep|ok|okay|sure)[\s,!]*)?(?:approved?|approve\s+(?:it|this|that|the\s+proposal)|deploy(?:\s+it)?|go\s+ahead|do\s+it|yes)${POLITE}$`)],
  ['reject', new RegExp(String.raw`^(?:no[\s,!]*)?(?:reject(?:ed)?|reject\s+(?:it|this|that|the\s+proposal)|drop\s+it|discard(?:\s+it)?|cancel(?:\s+it)?|no)${POLITE}$`)],
  ['rollback', new RegExp(String.raw`^(?:roll\s*(?:it\s+)?back|undo)(?:\s+(?:it|this|that|the\s+(?:change|proposal|deployment)))?${POLITE}$`)],
];
/** A proposal named by its id or the id's first 8 characters ("approve 3f2a9c1d"). */
const NAMED = /\b([0-9a-f]{8})(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?\b/;

/** The decision a chat message states, and the proposal it names if any; undefined for anything else (a change request, a question). */
export function readChatDecision(message: string): { decision: ChatDecision; named?: string } | undefined {
  const text = message.toLowerCase().replace(/[*_`"'.!]+/g, ' ').replace(/\s+/g, ' ').trim();
  const named = NAMED.exec(text)?.[1];
  const bare = named ? text.replace(NAMED, '').replace(/\s+/g, ' ').trim() : text;
  for (const [decision, pattern] of DECISIONS) if (pattern.test(bare)) return { decision, ...(named ? { named } : {}) };
  return undefined;
}
