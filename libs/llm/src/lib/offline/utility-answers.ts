import type { UtilityCompletionRequest, UtilityMessage } from '../utility/utility-model';
import { stem, words } from './keywords';

/**
 * `aether-offline`'s answers to utility requests (titles, tags, follow-ups, search queries,
 * autocompletion, an emoji), written from the chat history the client quotes. The output shape is
 * read from what the request asks for — a `json_schema`, or the JSON example in the instruction
 * (`JSON format: { "title": "…" }`) — so wording variations and new task kinds still get valid JSON
 * with the asked keys. Deterministic: the same request always gets the same answer.
 */
export function offlineUtilityAnswer(request: Pick<UtilityCompletionRequest, 'messages' | 'responseFormat'>): string {
  const instruction = instructionOf(request.messages);
  const history = chatHistory(instruction, request.messages);
  const topic = topicOf(history);
  const shape = askedShape(instruction, request);
  if (shape) {
    const answer: Record<string, unknown> = {};
    for (const [key, kind] of Object.entries(shape)) answer[key] = valueFor(key, kind, history, topic);
    return JSON.stringify(answer);
  }
  return plainAnswer(instruction, history, topic);
}

/** What the JSON answer must hold: each key, and whether its value is a list or a string. */
type Shape = Record<string, 'string' | 'array'>;

interface Topic {
  /** Word stems that point to it. */
  stems: string[];
  emoji: string;
  /** Words that complete a short title ("Lights" → "Lights Status Check"). */
  fill: string[];
  tag: string;
  followUps: string[];
  query: string;
}

/** Home topics, most specific first; the last one is the fallback. */
const TOPICS: Topic[] = [
  {
    stems: ['energy', 'kwh', 'power', 'consumption', 'consum', 'electricity', 'solar', 'grid', 'watt'],
    emoji: '⚡',
    fill: ['Usage', 'Overview', 'Home'],
    tag: 'Energy',
    followUps: [
      'Which devices used the most energy?',
      'How did my energy use change over the last 7 days?',
      'What is my baseload at night?',
    ],
    query: 'home energy usage',
  },
  {
    stems: ['light', 'lamp', 'bulb', 'dimmer'],
    emoji: '💡',
    fill: ['Status', 'Check', 'Home'],
    tag: 'Lighting',
    followUps: [
      'Which rooms have lights on right now?',
      'How much energy do my lights use?',
      'What devices do I have in the living room?',
    ],
    query: 'home lights status',
  },
  {
    stems: ['lock', 'door', 'alarm', 'security', 'window', 'garage'],
    emoji: '🔒',
    fill: ['Security', 'Check', 'Home'],
    tag: 'Security',
    followUps: ['Is the front door locked?', 'Which doors and windows are open?', 'What devices do I have in the garage?'],
    query: 'home door lock status',
  },
  {
    stems: ['temperature', 'heat', 'heater', 'thermostat', 'climate', 'humidity', 'cool', 'warm'],
    emoji: '🌡️',
    fill: ['Climate', 'Check', 'Home'],
    tag: 'Climate',
    followUps: [
      'What is the temperature in each room?',
      'How much energy does the heating use?',
      'Which climate devices do I have?',
    ],
    query: 'home temperature climate',
  },
  {
    stems: ['automation', 'automat', 'script', 'scene', 'routine', 'schedule'],
    emoji: '🤖',
    fill: ['Automation', 'Ideas', 'Home'],
    tag: 'Automation',
    followUps: ['Which automations do I have?', 'What does my evening automation do?', 'Which devices could I automate?'],
    query: 'home assistant automations',
  },
  {
    stems: ['dashboard', 'card', 'lovelace', 'view', 'panel'],
    emoji: '📊',
    fill: ['Dashboard', 'Design', 'Home'],
    tag: 'Dashboards',
    followUps: ['What devices do I have in the kitchen?', 'Which areas does my home have?', 'What lights are on right now?'],
    query: 'home assistant dashboard',
  },
  {
    stems: ['device', 'entity', 'entiti', 'area', 'room', 'kitchen', 'bedroom', 'sensor', 'discover', 'catalog', 'floor'],
    emoji: '🏠',
    fill: ['Home', 'Devices', 'Overview'],
    tag: 'Devices',
    followUps: ['What devices do I have in the kitchen?', 'Which sensors report temperature?', 'What lights are on right now?'],
    query: 'home devices by area',
  },
  {
    stems: [],
    emoji: '💬',
    fill: ['Smart', 'Home', 'Chat'],
    tag: 'General',
    followUps: [
      'What devices do I have in my home?',
      'Can you analyze my energy usage for the last 7 days?',
      'What lights are on right now?',
    ],
    query: 'smart home assistant',
  },
];

/** Words that say nothing about a chat's subject, on top of the usual filler words. */
const TITLE_STOPWORDS = new Set(
  (
    'a an the and or but if then so to of in on at by for with from into about as than is are was were be been ' +
    'am do does did have has had i me my mine we our us you your it its this that these those there here what ' +
    'which who whom when where why how can could would should will may might must please thanks thank hi hello ' +
    'hey some any all each every no not yes ok okay just also too very much many more most up out get got give ' +
    'tell show want need like know currently now right today yesterday last past next days day week weeks hours ' +
    'hour month months year time'
  ).split(' '),
);

function instructionOf(messages: readonly UtilityMessage[]): string {
  const last = messages.findLast((message) => message.role === 'user') ?? messages.at(-1);
  const system = messages.filter((message) => message.role === 'system').map((message) => message.content);
  return [...system, last?.content ?? ''].join('\n');
}

interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

const ROLE_LINE = /^\s*(?:\|\|>)?\s*(user|human|assistant|ai|response|bot)\s*:\s*(.*)$/i;
const HISTORY_BLOCK = /<(chat_history|context|conversation|history)>([\s\S]*?)<\/\1>/i;

/**
 * The chat the task is about: the `<chat_history>` block (Open WebUI's `USER:`/`ASSISTANT:` lines),
 * role-prefixed lines elsewhere in the prompt (LibreChat's `||>User:`), else the request's own
 * earlier messages, else the prompt's quoted text.
 */
function chatHistory(instruction: string, messages: readonly UtilityMessage[]): Turn[] {
  const block = HISTORY_BLOCK.exec(instruction)?.[2];
  const quoted = parseTurns(block ?? instruction);
  if (quoted.length > 0) return quoted;
  const earlier = messages
    .slice(0, -1)
    .filter((message): message is Turn => message.role === 'user' || message.role === 'assistant');
  if (earlier.length > 0) return earlier;
  const text = /<text>([\s\S]*?)<\/text>|```([\s\S]*?)```/.exec(instruction);
  return [{ role: 'user', content: (text?.[1] ?? text?.[2] ?? block ?? instruction).trim() }];
}

function parseTurns(text: string): Turn[] {
  const turns: Turn[] = [];
  for (const line of text.split('\n')) {
    const match = ROLE_LINE.exec(line);
    if (match) {
      const role = /^(user|human)$/i.test(match[1]) ? 'user' : 'assistant';
      turns.push({ role, content: match[2] });
    } else if (turns.length > 0) {
      turns[turns.length - 1].content += `\n${line}`;
    }
  }
  return turns.map((turn) => ({ ...turn, content: turn.content.trim().replace(/^"|"$/g, '') })).filter((turn) => turn.content);
}

function topicOf(history: readonly Turn[]): Topic {
  // The user's words decide first: an answer mentions many things in passing.
  const userStems = new Set(history.filter((t) => t.role === 'user').flatMap((t) => words(t.content).map(stem)));
  const allStems = new Set(history.flatMap((t) => words(t.content).map(stem)));
  for (const stems of [userStems, allStems]) {
    const found = TOPICS.find((topic) => topic.stems.some((s) => stems.has(s)));
    if (found) return found;
  }
  return TOPICS[TOPICS.length - 1];
}

function askedShape(instruction: string, request: Pick<UtilityCompletionRequest, 'responseFormat'>): Shape | undefined {
  const format = request.responseFormat;
  if (format?.type === 'json_schema') {
    const properties = format.json_schema.schema?.['properties'];
    if (properties && typeof properties === 'object') {
      return Object.fromEntries(
        Object.entries(properties as Record<string, { type?: unknown }>).map(([key, spec]) => [
          key,
          spec?.type === 'array' ? 'array' : 'string',
        ]),
      );
    }
  }
  const example = jsonExample(instruction);
  if (example) return example;
  if (format?.type === 'json_object' || format?.type === 'json_schema' || /\bjson\b/i.test(instruction)) {
    const kind = taskKind(instruction);
    return kind === 'tags' ? { tags: 'array' } : kind === 'follow_ups' ? { follow_ups: 'array' } : kind === 'queries' ? { queries: 'array' } : { [kind]: 'string' };
  }
  return undefined;
}

/** The keys of the JSON example a prompt shows after "JSON" (`{ "tags": ["tag1", …] }`). */
function jsonExample(instruction: string): Shape | undefined {
  const at = instruction.search(/\bjson\b/i);
  if (at < 0) return undefined;
  const rest = instruction.slice(at);
  const open = rest.indexOf('{');
  if (open < 0) return undefined;
  const shape: Shape = {};
  // The first object's top-level keys; a value opening with `[` is a list.
  let depth = 0;
  for (let i = open; i < rest.length; i++) {
    const char = rest[i];
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) break;
    } else if (char === '"' && depth === 1) {
      const key = /^"([^"\n]{1,64})"\s*:\s*(\[|")?/.exec(rest.slice(i));
      if (key) {
        shape[key[1]] = key[2] === '[' ? 'array' : 'string';
        i += key[0].length - 1 - (key[2] ? 1 : 0);
        continue;
      }
      const end = rest.indexOf('"', i + 1);
      if (end < 0) break;
      i = end;
    }
  }
  return Object.keys(shape).length > 0 ? shape : undefined;
}

type TaskKind = 'title' | 'tags' | 'follow_ups' | 'queries' | 'emoji' | 'text' | 'summary';

function taskKind(text: string): TaskKind {
  const task = /###\s*task:?\s*([\s\S]*?)(?:###|$)/i.exec(text)?.[1] ?? text;
  if (/follow[\s-]?up|questions?\b.*\bnext\b|suggest/i.test(task)) return 'follow_ups';
  if (/\btitle\b/i.test(task)) return 'title';
  if (/\btags?\b|categori[sz]/i.test(task)) return 'tags';
  if (/search quer|\bqueries\b|\bquery\b/i.test(task)) return 'queries';
  if (/autocomplet|continue the text|<text>/i.test(task)) return 'text';
  if (/\bemoji\b/i.test(task)) return 'emoji';
  return 'summary';
}

function valueFor(key: string, kind: 'string' | 'array', history: readonly Turn[], topic: Topic): unknown {
  const name = key.toLowerCase();
  let value: string | string[];
  if (/title|name|subject/.test(name)) value = title(history, topic);
  else if (/tag|categor|label|topic/.test(name)) value = tags(history, topic);
  else if (/follow|question|suggest|prompt/.test(name)) value = [...topic.followUps];
  else if (/quer|search/.test(name)) value = queries(history, topic);
  else if (/emoji|icon/.test(name)) value = topic.emoji;
  else if (name === 'text' || /complet/.test(name)) value = '';
  else value = kind === 'array' ? subjectWords(history).slice(0, 3) : title(history, topic).replace(/^\S+\s/, '');
  if (kind === 'array') return Array.isArray(value) ? value : [value];
  return Array.isArray(value) ? value.join(', ') : value;
}

function plainAnswer(instruction: string, history: readonly Turn[], topic: Topic): string {
  switch (taskKind(instruction)) {
    case 'title':
      return title(history, topic);
    case 'tags':
      return tags(history, topic).join(', ');
    case 'follow_ups':
      return topic.followUps.join('\n');
    case 'queries':
      return queries(history, topic).join('\n');
    case 'emoji':
      return topic.emoji;
    case 'text':
      return '';
    case 'summary':
      return title(history, topic).replace(/^\S+\s/, '');
  }
}

/** The meaningful words of the chat's first user message, title-cased, without repeats. */
function subjectWords(history: readonly Turn[]): string[] {
  const first = history.find((turn) => turn.role === 'user')?.content ?? '';
  const seen = new Set<string>();
  const result: string[] = [];
  for (const word of words(first)) {
    if (word.length < 3 || TITLE_STOPWORDS.has(word) || /^\d+$/.test(word) || seen.has(stem(word))) continue;
    seen.add(stem(word));
    result.push(word.charAt(0).toUpperCase() + word.slice(1));
  }
  return result;
}

/** An emoji and 3–5 words: the subject's words, completed by the topic's when there are fewer than 3. */
function title(history: readonly Turn[], topic: Topic): string {
  const chosen = subjectWords(history).slice(0, 5);
  for (const word of topic.fill) {
    if (chosen.length >= 3) break;
    if (!chosen.some((w) => stem(w.toLowerCase()) === stem(word.toLowerCase()))) chosen.push(word);
  }
  return `${topic.emoji} ${chosen.join(' ')}`;
}

/** 1–3 tags: the broad one, the topic, and the subject's first word when it adds something. */
function tags(history: readonly Turn[], topic: Topic): string[] {
  const result = ['Smart Home', topic.tag];
  const extra = subjectWords(history).find((word) => !result.some((tag) => stem(tag.toLowerCase()) === stem(word.toLowerCase())));
  if (extra) result.push(extra);
  return [...new Set(result)].slice(0, 3);
}

function queries(history: readonly Turn[], topic: Topic): string[] {
  const subject = subjectWords(history).slice(0, 5).join(' ').toLowerCase();
  return subject && subject !== topic.query ? [subject, topic.query] : [topic.query];
}
