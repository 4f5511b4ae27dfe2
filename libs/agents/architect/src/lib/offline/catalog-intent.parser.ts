/**
 * What a question about the home's current state asks the catalog for, read by keyword rules for
 * the offline model (a real LLM chooses the catalog tools itself from their descriptions).
 */
export type CatalogIntent =
  /** "what lights are on?" → the entities of a domain in a state (live). */
  | {
      kind: 'entities_in_state';
      domain: string;
      noun: string;
      stateFilter: string;
      stateWord: string;
      area?: string;
      /** Only entities whose id or name has this word (binary sensors: "window" contacts, not motion sensors). */
      nameFilter?: string;
    }
  /** "is the front door locked?" → find the entity, then read its state (live). */
  | { kind: 'entity_state'; search: string; domainHint?: string; measurement?: string }
  | { kind: 'domain_summary'; domain: string; noun: string }
  | { kind: 'automations' }
  | { kind: 'automation_config'; automation: string };

/** Everyday nouns → Home Assistant domains. */
const DOMAIN_NOUNS: Record<string, string> = {
  light: 'light', lights: 'light', lamp: 'light', lamps: 'light',
  switch: 'switch', switches: 'switch', plug: 'switch', plugs: 'switch', socket: 'switch', sockets: 'switch',
  lock: 'lock', locks: 'lock',
  cover: 'cover', covers: 'cover', blind: 'cover', blinds: 'cover', shade: 'cover', shades: 'cover', shutter: 'cover', shutters: 'cover', curtain: 'cover', curtains: 'cover',
  fan: 'fan', fans: 'fan',
  tv: 'media_player', tvs: 'media_player', speaker: 'media_player', speakers: 'media_player', 'media player': 'media_player', 'media players': 'media_player',
  thermostat: 'climate', thermostats: 'climate',
  sensor: 'sensor', sensors: 'sensor',
  person: 'person', people: 'person',
  // Door and window contacts; "locked" doors are locks (see `entitiesInState`).
  door: 'binary_sensor', doors: 'binary_sensor', window: 'binary_sensor', windows: 'binary_sensor',
  automation: 'automation', automations: 'automation',
  script: 'script', scripts: 'script', scene: 'scene', scenes: 'scene',
};
/** State words → the Home Assistant state they filter on. */
const STATE_WORDS: Record<string, string> = {
  on: 'on', off: 'off', open: 'open', closed: 'closed', locked: 'locked', unlocked: 'unlocked',
  playing: 'playing', paused: 'paused', idle: 'idle', home: 'home', away: 'not_home',
};
/** State words that tell which domain an entity belongs to. */
const DOMAIN_OF_STATE_WORD: Record<string, string> = { locked: 'lock', unlocked: 'lock', playing: 'media_player', paused: 'media_player' };
const MEASUREMENTS = ['temperature', 'humidity', 'brightness', 'battery'] as const;

const NOUN = Object.keys(DOMAIN_NOUNS).sort((a, b) => b.length - a.length).join('|');
const STATE = Object.keys(STATE_WORDS).join('|');
const STOP_WORDS = new Set(['the', 'my', 'our', 'a', 'an', 'in', 'of', 'at', 'on', 'is', 'are', 'it', 'currently', 'now', 'right', 'still', 'please', 'me', 'tell']);

const ENTITIES_IN_STATE = [
  new RegExp(`\\b(?:what|which|any|all)\\s+(?:of\\s+(?:the|my)\\s+)?(?:the\\s+)?(${NOUN})\\s+(?:are|is)\\s+(?:currently\\s+|still\\s+|now\\s+)?(${STATE})\\b`),
  new RegExp(`\\b(?:are|is)\\s+(?:there\\s+)?(?:any|all)\\s+(?:of\\s+(?:the|my)\\s+)?(?:the\\s+)?(${NOUN})\\s+(?:still\\s+|currently\\s+|left\\s+)?(${STATE})\\b`),
  // "are the lights on in the kitchen?" (plural: the whole domain, not one entity)
  new RegExp(`^\\s*are\\s+(?:the|my|our)\\s+(${NOUN})\\s+(?:still\\s+|currently\\s+)?(${STATE})\\b`),
  new RegExp(`\\bhow\\s+many\\s+(${NOUN})\\s+are\\s+(?:currently\\s+|still\\s+)?(${STATE})\\b`),
  new RegExp(`\\b(${NOUN})\\s+(?:that\\s+are|which\\s+are|currently)\\s+(${STATE})\\b`),
];
const IS_SUBJECT_IN_STATE = new RegExp(`^\\s*(?:is|are)\\s+(.+?)\\s+(?:currently\\s+|still\\s+|now\\s+)?(${STATE})\\b`);
const MEASUREMENT_OF_PLACE = new RegExp(`\\bwhat(?:'s|’s|\\s+is)\\s+the\\s+(${MEASUREMENTS.join('|')}|state|status)\\s+(?:of|in|at|for|on)\\s+(.+?)[?.!]*$`);
const PLACE_MEASUREMENT = new RegExp(`\\bwhat(?:'s|’s|\\s+is)\\s+the\\s+(.+?)\\s+(${MEASUREMENTS.join('|')})\\b`);
const HOW_WARM = /\bhow\s+(warm|cold|hot|humid)\s+is\s+(?:it\s+)?(?:in\s+)?(.+?)[?.!]*$/;
const AREA_AT_END = /\bin\s+(?:the\s+)?([a-z][a-z' ]*?)\s*(?:right\s+now|now|currently|at\s+the\s+moment)?\s*[?.!]*$/;

/** The catalog question in `question`, or undefined when it is not one the rules know. */
export function parseCatalogIntent(question: string): CatalogIntent | undefined {
  const text = question.toLowerCase().replace(/’/g, "'").trim();

  if (/\bautomation\b/.test(text) && /\b(?:config(?:uration)?|yaml|definition|set\s*up|triggers?|conditions?|actions?|explain|what\s+does|how\s+does)\b/.test(text)) {
    const automation = automationName(question);
    if (automation) return { kind: 'automation_config', automation };
  }
  if (/\bautomations\b/.test(text) && /\b(?:list|show|what|which|tell|my|have|all)\b/.test(text)) return { kind: 'automations' };

  for (const pattern of ENTITIES_IN_STATE) {
    const match = pattern.exec(text);
    if (match && DOMAIN_NOUNS[match[1]] !== 'automation') {
      const area = AREA_AT_END.exec(text)?.[1];
      return { kind: 'entities_in_state', ...entitiesInState(match[1], match[2]), noun: match[1], stateWord: match[2], ...(area ? { area: titleCase(area) } : {}) };
    }
  }

  const subjectInState = IS_SUBJECT_IN_STATE.exec(text);
  if (subjectInState) {
    const search = searchWords(subjectInState[1]);
    if (search) return { kind: 'entity_state', search, ...(DOMAIN_OF_STATE_WORD[subjectInState[2]] ? { domainHint: DOMAIN_OF_STATE_WORD[subjectInState[2]] } : {}) };
  }
  const measurementOfPlace = MEASUREMENT_OF_PLACE.exec(text);
  if (measurementOfPlace) {
    const [, what, place] = measurementOfPlace;
    const measured = what === 'state' || what === 'status' ? undefined : what;
    const search = searchWords(measured ? `${place} ${measured}` : place);
    if (search) return { kind: 'entity_state', search, ...(measured ? { measurement: measured, domainHint: 'sensor' } : {}) };
  }
  const placeMeasurement = PLACE_MEASUREMENT.exec(text);
  if (placeMeasurement) {
    const search = searchWords(`${placeMeasurement[1]} ${placeMeasurement[2]}`);
    if (search) return { kind: 'entity_state', search, measurement: placeMeasurement[2], domainHint: 'sensor' };
  }
  const howWarm = HOW_WARM.exec(text);
  if (howWarm) {
    const measurement = howWarm[1] === 'humid' ? 'humidity' : 'temperature';
    const search = searchWords(`${howWarm[2]} ${measurement}`);
    if (search) return { kind: 'entity_state', search, measurement, domainHint: 'sensor' };
  }

  const howMany = new RegExp(`\\b(?:how\\s+many|summary\\s+of|overview\\s+of)\\s+(?:my\\s+|the\\s+)?(${NOUN})\\b`).exec(text);
  if (howMany) return { kind: 'domain_summary', domain: DOMAIN_NOUNS[howMany[1]], noun: howMany[1] };
  return undefined;
}

/** The domain and HA state for "<noun> are <state>": contacts report open/closed as on/off, locked doors are locks. */
function entitiesInState(noun: string, stateWord: string): { domain: string; stateFilter: string; nameFilter?: string } {
  const domain = DOMAIN_NOUNS[noun];
  if (domain === 'binary_sensor' && DOMAIN_OF_STATE_WORD[stateWord] === 'lock') return { domain: 'lock', stateFilter: STATE_WORDS[stateWord] };
  if (domain === 'binary_sensor') {
    return { domain, stateFilter: stateWord === 'open' || stateWord === 'on' ? 'on' : 'off', nameFilter: noun.replace(/s$/, '') };
  }
  return { domain, stateFilter: STATE_WORDS[stateWord] };
}

/** The automation a question names: a quoted name, an entity id, or the words around "automation". */
function automationName(question: string): string | undefined {
  const entityId = /\bautomation\.[a-z0-9_]+\b/i.exec(question)?.[0];
  if (entityId) return entityId.toLowerCase();
  const quoted = /["“'‘]([^"”'’]+)["”'’]/.exec(question)?.[1];
  if (quoted?.trim()) return quoted.trim();
  const after = /\bautomation\s+(?:called\s+|named\s+)?(.+?)[?.!]*$/i.exec(question)?.[1];
  if (after?.trim()) return after.trim();
  const before = /\b(?:of|for)\s+(?:the\s+|my\s+)?(.+?)\s+automation\b/i.exec(question)?.[1];
  return before?.trim() || undefined;
}

function searchWords(text: string): string {
  return (text.match(/[a-z0-9_]+/g) ?? []).filter((w) => !STOP_WORDS.has(w)).join(' ');
}

function titleCase(text: string): string {
  return text.trim().replace(/\b[a-z]/g, (c) => c.toUpperCase());
}
