/**
 * Utility prompts shaped like the ones chat front ends send in the background (Open WebUI's task
 * templates: `### Task:`, a JSON output instruction, the chat in a `<chat_history>` block; LibreChat's
 * title prompt), written for the tests — with variations in wording, as clients and versions differ.
 */

export interface UtilityPromptFixture {
  name: string;
  prompt: string;
  /** The JSON key the answer must have, and whether it holds a list. */
  key: string;
  list: boolean;
}

export const CHAT_HISTORY = [
  'USER: Analyze my energy usage for the last 7 days',
  'ASSISTANT: Over the last 7 days you used 84.2 kWh. The heater in the bedroom used the most (31 %).',
].join('\n');

function owuiTask(task: string, output: string, history = CHAT_HISTORY): string {
  return [
    '### Task:',
    task,
    '### Guidelines:',
    '- Keep it clear and simple.',
    '- Your entire response must consist solely of the JSON object, without any introductory or concluding text.',
    '### Output:',
    output,
    '### Chat History:',
    '<chat_history>',
    history,
    '</chat_history>',
  ].join('\n');
}

export const OPEN_WEBUI_TITLE = owuiTask(
  'Generate a concise, 3-5 word title with an emoji summarizing the chat history.',
  'JSON format: { "title": "your concise title here" }\n### Examples:\n- { "title": "📉 Stock Market Trends" },\n- { "title": "🎮 Video Game Development Insights" }',
);

export const OPEN_WEBUI_TAGS = owuiTask(
  'Generate 1-3 broad tags categorizing the main themes of the chat history, along with 1-3 more specific subtopic tags.',
  'JSON format: { "tags": ["tag1", "tag2", "tag3"] }',
);

export const OPEN_WEBUI_FOLLOW_UPS = owuiTask(
  'Suggest 3-5 relevant follow-up questions or prompts that the user might naturally ask next in this conversation as a **user**, based on the chat history.',
  'JSON format: { "follow_ups": ["Question 1?", "Question 2?", "Question 3?"] }',
);

export const OPEN_WEBUI_QUERIES = owuiTask(
  'Analyze the chat history to determine the necessity of generating search queries, in the given language. By default, **prioritize generating 1-3 broad and relevant search queries**.',
  'Strictly return in JSON format:\n{\n  "queries": ["query1", "query2"]\n}',
);

export const UTILITY_PROMPTS: UtilityPromptFixture[] = [
  { name: 'Open WebUI title', prompt: OPEN_WEBUI_TITLE, key: 'title', list: false },
  { name: 'Open WebUI tags', prompt: OPEN_WEBUI_TAGS, key: 'tags', list: true },
  { name: 'Open WebUI follow-ups', prompt: OPEN_WEBUI_FOLLOW_UPS, key: 'follow_ups', list: true },
  { name: 'Open WebUI search queries', prompt: OPEN_WEBUI_QUERIES, key: 'queries', list: true },
  {
    name: 'title, reworded, lower-case markers',
    prompt: [
      '## task',
      'Create a short title (3 to 5 words) for this chat, starting with one emoji.',
      'Reply with JSON only, like this: {"title":"🏠 Example Title"}',
      '<chat_history>',
      'user: What lights are on?',
      'assistant: The kitchen and porch lights are on.',
      '</chat_history>',
    ].join('\n'),
    key: 'title',
    list: false,
  },
  {
    name: 'tags, reworded, no "### Task"',
    prompt: [
      'Categorise the conversation below with up to three tags.',
      'Output format (JSON): { "tags": [ "first", "second" ] }',
      '<chat_history>',
      'USER: Is the front door locked?',
      'ASSISTANT: Yes, the front door is locked.',
      '</chat_history>',
    ].join('\n'),
    key: 'tags',
    list: true,
  },
  {
    name: 'follow-ups, reworded',
    prompt: [
      '### Task:',
      'Propose three questions the user could ask next.',
      'Return a JSON object: { "follow_ups": ["…?"] }',
      '### Chat History:',
      '<chat_history>',
      'USER: hi',
      'ASSISTANT: Hello! How can I help with your home?',
      '</chat_history>',
    ].join('\n'),
    key: 'follow_ups',
    list: true,
  },
];

/** LibreChat-style title prompt: plain text out, the conversation quoted with `||>` role lines. */
export const LIBRECHAT_TITLE = [
  'Please generate a concise, 5-word-or-less title for the conversation, using its same language, with no punctuation. Only return the title itself.',
  '',
  'Conversation:',
  '||>User:',
  '"What devices do I have in the kitchen?"',
  '||>Response:',
  '"You have 6 devices in the kitchen: a fridge plug, two lights, …"',
].join('\n');
