/**
 * Checks the states a model claims for entities against the states the catalog tools returned.
 * Narrow on purpose, so that it never withholds a true answer: only words that in an answer can
 * only be a claim about the present state ("unlocked", "closed"), not advice ("turn off the light",
 * "open the app"), and only for the domains whose states they are. A sentence is contradicted when
 * it names an entity by its friendly name or id, uses such a word for another state than the one
 * returned, and does not also use the returned state (a sentence about two locks, one of each, is
 * left alone). "On" and "off" are as often advice ("turn off the light") or prepositions, so for
 * them only the plain claim counts: the entity's name or id followed by "is"/"are" (and "now",
 * "currently", "still") and the state — "The Kitchen Light is off" when it is on.
 */

/** Per domain: the claim word → the state it claims. */
const CLAIM_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  lock: { locked: 'locked', unlocked: 'unlocked', jammed: 'jammed' },
  cover: { closed: 'closed' },
};

/** Domains whose states are on/off, checked in the "<name> is on/off" form only. */
const ON_OFF_DOMAINS = new Set(['light', 'switch', 'fan', 'input_boolean', 'siren', 'humidifier']);

/** An entity line of the catalog tools (`renderEntityLine`): `lock.front_door — Front Door Lock: locked (Hallway)`. */
const ENTITY_LINE = /^([a-z_]+)\.([a-z0-9_]+) — (.+?): (\S+)/gm;

interface KnownState {
  entityId: string;
  name: string;
  domain: string;
  state: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const wordPattern = (word: string) => new RegExp(`(?<![\\p{L}\\d_])${escape(word)}(?![\\p{L}\\d_])`, 'iu');
/** "<name or id> is (now|currently|still) on|off": the claimed state in group 1. */
const onOffClaim = (entity: KnownState) =>
  new RegExp(`(?<![\\p{L}\\d_])(?:${escape(entity.name)}|${escape(entity.entityId)})\\s+(?:is|are)\\s+(?:(?:now|currently|still)\\s+)?(on|off)(?![\\p{L}\\d_])`, 'iu');

export class EntityStates {
  /** By entity id; a later tool result (a live read after a snapshot) replaces an earlier one. */
  private readonly known = new Map<string, KnownState & { mentioned: RegExp[] }>();

  /** Takes the entity lines of a tool result. */
  add(text: string): void {
    for (const [, domain, objectId, name, state] of text.matchAll(ENTITY_LINE)) {
      if (!CLAIM_WORDS[domain] && !(ON_OFF_DOMAINS.has(domain) && (state === 'on' || state === 'off'))) continue;
      const entityId = `${domain}.${objectId}`;
      this.known.set(entityId, { entityId, name, domain, state, mentioned: [wordPattern(name), wordPattern(entityId)] });
    }
  }

  /** The claims of `sentence` that contradict a returned state, as `Front Door Lock: "unlocked" (Home Assistant: locked)`. */
  contradictions(sentence: string): string[] {
    const found: string[] = [];
    for (const entity of this.known.values()) {
      if (!entity.mentioned.some((pattern) => pattern.test(sentence))) continue;
      if (!CLAIM_WORDS[entity.domain]) {
        const claimed = onOffClaim(entity).exec(sentence)?.[1]?.toLowerCase();
        if (claimed && claimed !== entity.state) found.push(`${entity.name}: "${claimed}" (Home Assistant: ${entity.state})`);
        continue;
      }
      const words = Object.entries(CLAIM_WORDS[entity.domain]);
      const saysActual = wordPattern(entity.state).test(sentence) || words.some(([word, state]) => state === entity.state && wordPattern(word).test(sentence));
      if (saysActual) continue;
      const claimed = words.find(([word, state]) => state !== entity.state && wordPattern(word).test(sentence));
      if (claimed) found.push(`${entity.name}: "${claimed[0]}" (Home Assistant: ${entity.state})`);
    }
    return found;
  }
}
