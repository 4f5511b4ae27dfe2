import { capabilityMenu, deploymentCapabilities } from '@aether/core';
import type { OfflineToolSpec } from './bound-tools';
import type { ToolResult } from './conversation';

/** Longest tool output quoted in an answer; longer output is cut with a note saying how much. */
const MAX_RESULT_CHARS = 8000;

/**
 * The answer after tools ran: their output, verbatim when it is already readable text, JSON turned
 * into an indented list. Several results get one heading per tool.
 */
export function toolResultsAnswer(results: readonly ToolResult[]): string {
  const sections = results.map((result) => {
    const body = readable(result.content);
    if (result.failed) return `**${result.toolName}** failed: ${body || 'no details were given.'}`;
    if (results.length === 1) return body || `${result.toolName} returned no output.`;
    return `**${result.toolName}**\n${body || '(no output)'}`;
  });
  const intro = results.every((r) => r.failed) ? 'I could not get a result:' : 'Here is what I found:';
  return `${intro}\n\n${sections.join('\n\n')}`;
}

function readable(content: string): string {
  const text = content.trim();
  const rendered = looksLikeJson(text) ? (renderJson(text) ?? text) : text;
  if (rendered.length <= MAX_RESULT_CHARS) return rendered;
  return `${rendered.slice(0, MAX_RESULT_CHARS)}\n… (${rendered.length - MAX_RESULT_CHARS} more characters not shown)`;
}

function looksLikeJson(text: string): boolean {
  return (text.startsWith('{') && text.endsWith('}')) || (text.startsWith('[') && text.endsWith(']'));
}

function renderJson(text: string): string | undefined {
  try {
    return renderValue(JSON.parse(text), 0).join('\n');
  } catch {
    return undefined;
  }
}

function isPlain(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function scalar(value: unknown): string {
  return value === null ? '—' : String(value);
}

function renderValue(value: unknown, depth: number): string[] {
  const pad = '  '.repeat(depth);
  if (isPlain(value)) return [`${pad}${scalar(value)}`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}(none)`];
    if (value.every(isPlain)) return [`${pad}${value.map(scalar).join(', ')}`];
    return value.flatMap((item) => {
      const [first, ...rest] = renderValue(item, depth + 1);
      return [`${pad}- ${first.trimStart()}`, ...rest];
    });
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [`${pad}(empty)`];
  return entries.flatMap(([key, child]) => {
    if (isPlain(child) || (Array.isArray(child) && child.every(isPlain))) {
      return [`${pad}${key}: ${renderValue(child, 0)[0]}`];
    }
    return [`${pad}${key}:`, ...renderValue(child, depth + 1)];
  });
}

/**
 * The answer when no rule applies: what this agent can do, stated plainly, with no claim of having
 * done anything.
 */
export function capabilitiesAnswer(agentLabel: string | undefined, tools: readonly OfflineToolSpec[]): string {
  const who = agentLabel ? `I'm Aether's ${agentLabel}` : "I'm Aether";
  const lines = [
    `${who}, running on the built-in offline model: no language model is configured, so I follow ` +
      'fixed rules instead of holding a free conversation, and I have not taken any action for this message.',
    '',
  ];
  // Generated from the agent table, so the menu lists only what this deployment's agents do.
  if (tools.length > 0) {
    lines.push('Ask me about one of these and I will run it for you:');
    for (const tool of tools) lines.push(`- ${firstSentence(tool.description) || humanise(tool.name)}`);
    const { notYet } = deploymentCapabilities();
    if (notYet.length > 0) lines.push('', 'Not available yet in this version:', ...notYet.map((what) => `- ${what}`));
  } else {
    lines.push(capabilityMenu());
  }
  lines.push(
    '',
    'For open-ended conversation, configure a language model with LLM_BASE_URL, LLM_API_KEY and LLM_MODEL.',
  );
  return lines.join('\n');
}

function firstSentence(text: string): string {
  const trimmed = text.trim();
  const end = trimmed.search(/[.!?](?:\s|$)/);
  return end < 0 ? trimmed : trimmed.slice(0, end + 1);
}

function humanise(identifier: string): string {
  const spaced = identifier.replace(/[_-]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
