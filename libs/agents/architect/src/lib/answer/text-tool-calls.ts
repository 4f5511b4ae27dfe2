import { randomUUID } from 'node:crypto';
import type { ToolCall } from '@langchain/core/messages/tool';

/**
 * Tool calls an open model wrote as text because its server did not parse them, in the common
 * formats: `<tool_call>{"name":…,"arguments":…}</tool_call>` (Hermes, Qwen), `[TOOL_CALLS][{…}]`
 * (Mistral), `<|python_tag|>{"name":…,"parameters":…}` (Llama 3.1). Returns the calls and the text
 * around them, or undefined when there are none.
 */
export function textToolCalls(content: string): { calls: ToolCall[]; text: string } | undefined {
  const calls: ToolCall[] = [];
  let text = content.replace(/<tool_call>([\s\S]*?)<\/tool_call>/g, (_all, json: string) => {
    calls.push(...toCalls(json));
    return '';
  });
  for (const prefix of ['[TOOL_CALLS]', '<|python_tag|>']) {
    const at = text.indexOf(prefix);
    if (at < 0) continue;
    calls.push(...toCalls(text.slice(at + prefix.length)));
    text = text.slice(0, at);
  }
  return calls.length > 0 ? { calls, text: text.trim() } : undefined;
}

function toCalls(json: string): ToolCall[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.trim());
  } catch {
    return [];
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).flatMap((item): ToolCall[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { name, arguments: args, parameters } = item as { name?: unknown; arguments?: unknown; parameters?: unknown };
    const given = args ?? parameters ?? {};
    const values = typeof given === 'string' ? safeParse(given) : given;
    if (typeof name !== 'string' || typeof values !== 'object' || values === null || Array.isArray(values)) return [];
    return [{ id: `call_${randomUUID().replace(/-/g, '')}`, name, args: values as Record<string, unknown>, type: 'tool_call' }];
  });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
