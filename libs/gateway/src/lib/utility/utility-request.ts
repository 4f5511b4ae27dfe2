import { messageText, type ChatCompletionRequest } from '../chat/chat-completion-request.schema';

/** Header a client sets to say what a request is: `utility` (one model call) or `chat` (the agents). */
export const REQUEST_KIND_HEADER = 'x-aether-request-kind';

/** What a utility request asks for; a metrics label. */
export type UtilityKind = 'title' | 'tags' | 'follow_ups' | 'queries' | 'autocomplete' | 'emoji' | 'other';

export interface UtilityRequest {
  kind: UtilityKind;
  /** How it was recognised: the client said so (header, `metadata`), or its prompt is a task template. */
  source: 'header' | 'metadata' | 'template';
}

/** A task heading: Open WebUI's `### Task:`, and the like ("## task", "Task:" on its own line). */
const TASK_HEADING = /^\s*(?:#{1,4}\s*)?task\s*:?\s*$|^\s*#{1,4}\s*task\b/im;
/** The chat quoted for the model to work on. */
const CHAT_HISTORY_BLOCK = /<chat_history>[\s\S]*<\/chat_history>/i;
/** "JSON format: { "title": …", "Reply with JSON only, like this: {"tags": …" */
const JSON_INSTRUCTION = /\bjson\b[\s\S]{0,200}?\{\s*"[^"\n]{1,64}"\s*:/i;
/** What background tasks ask for; a JSON instruction plus one of these is a task. */
const TASK_WORDS = /\btitle\b|\btags?\b|follow[\s-]?ups?|search quer|\bqueries\b|autocomplet|\bemoji\b|categori[sz]e/i;
/** LibreChat-style title prompts: "a concise, 5-word-or-less title for the conversation". */
const TITLE_PROMPT = /\btitle\b[^\n]{0,80}\b(?:conversation|chat)\b|\b(?:conversation|chat)\b[^\n]{0,40}\btitle\b/i;
/** Open WebUI's emoji task: "reflect the speaker's likely facial expression through a fitting emoji". */
const EMOJI_PROMPT = /\b(?:fitting|single|one)\s+emoji\b/i;

/**
 * Whether a chat request is a client's background "utility" task rather than a question for the
 * agents. The client's word decides first (`X-Aether-Request-Kind: utility|chat`,
 * `metadata.aether_request_kind`, or Open WebUI's `metadata.task`); otherwise the prompt's shape: a task template (`### Task:`), a
 * quoted `<chat_history>`, a JSON output instruction for a title/tags/follow-ups/queries, or a
 * title/emoji prompt. Only the latest user message and system messages are read — a question that
 * merely mentions "title" in a chat is not a task.
 */
export function detectUtilityRequest(request: ChatCompletionRequest, kindHeader?: string): UtilityRequest | undefined {
  const prompt = [
    ...request.messages.filter((m) => m.role === 'system' || m.role === 'developer').map(messageText),
    messageText(request.messages.findLast((m) => m.role === 'user') ?? { role: 'user', content: '' }),
  ].join('\n');
  const said = kindHeader?.trim().toLowerCase();
  if (said === 'utility') return { kind: utilityKind(prompt), source: 'header' };
  if (said === 'chat') return undefined;
  const meta = request.metadata['aether_request_kind'] ?? request.metadata['request_kind'];
  if (typeof meta === 'string' && meta.trim().toLowerCase() === 'utility') return { kind: utilityKind(prompt), source: 'metadata' };
  if (typeof meta === 'string' && meta.trim().toLowerCase() === 'chat') return undefined;
  // Open WebUI's own task names (`title_generation`, `tags_generation`, …), should a proxy pass its metadata on.
  const task = request.metadata['task'];
  if (typeof task === 'string' && /_generation$/.test(task)) return { kind: utilityKind(task.replace(/_/g, ' ')), source: 'metadata' };
  const looksLikeTask =
    TASK_HEADING.test(prompt) ||
    CHAT_HISTORY_BLOCK.test(prompt) ||
    (JSON_INSTRUCTION.test(prompt) && TASK_WORDS.test(prompt)) ||
    TITLE_PROMPT.test(prompt) ||
    EMOJI_PROMPT.test(prompt);
  return looksLikeTask ? { kind: utilityKind(prompt), source: 'template' } : undefined;
}

function utilityKind(prompt: string): UtilityKind {
  // The task statement when there is one: the chat quoted below it may say anything.
  const task = (/#{0,4}\s*task\s*:?\s*([\s\S]*?)(?:\n\s*#{1,4}\s|<chat_history>|$)/i.exec(prompt)?.[1] ?? prompt).replace(
    CHAT_HISTORY_BLOCK,
    '',
  );
  if (/follow[\s-]?ups?|questions?[^\n]{0,60}\bnext\b/i.test(task)) return 'follow_ups';
  if (/\btitle\b/i.test(task)) return 'title';
  if (/\btags?\b|categori[sz]/i.test(task)) return 'tags';
  if (/search quer|\bquer(?:y|ies)\b/i.test(task)) return 'queries';
  if (/autocomplet|continue the text/i.test(task)) return 'autocomplete';
  if (/\bemoji\b/i.test(task)) return 'emoji';
  return 'other';
}
