import { randomUUID } from 'node:crypto';
import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { createMiddleware } from 'langchain';
import { textToolCalls } from './text-tool-calls';

/** Marks (in `response_metadata`) the reply this middleware returns, which LangGraph streams again as a whole. */
export const WHOLE_REPLY = 'aether_whole_reply';

/** Times the model is asked again after tool arguments that are not valid JSON. */
export const MAX_ARGUMENT_REPAIRS = 2;

/**
 * Makes each model reply usable by the agent loop, whatever the server sent:
 * - a fresh message id: LangGraph replaces a message whose id it has seen, and some servers
 *   (Ollama) reuse completion ids, which silently dropped the earlier round;
 * - tool calls written as text (see `textToolCalls`) become real tool calls;
 * - tool arguments that are not valid JSON: the model is told the error and asked again, at most
 *   MAX_ARGUMENT_REPAIRS times, then the call is refused with a clear error.
 */
export const repairModelReplies = createMiddleware({
  name: 'RepairModelReplies',
  wrapModelCall: async (request, handler) => {
    let messages: BaseMessage[] = request.messages;
    for (let repairs = 0; ; repairs++) {
      const reply = await handler({ ...request, messages });
      if (!AIMessage.isInstance(reply)) return reply;
      // A copy: LangGraph may still hold (and stream) the reply itself.
      const repaired = repairedCopy(reply);
      const invalid = repaired.invalid_tool_calls ?? [];
      if (invalid.length === 0 || (repaired.tool_calls?.length ?? 0) > 0) return repaired;
      if (repairs >= MAX_ARGUMENT_REPAIRS) {
        throw new Error(`The model sent tool arguments that are not valid JSON ${repairs + 1} times (${invalid.map((call) => call.name ?? 'unnamed tool').join(', ')}).`);
      }
      // Shown to the model as a failed call of the same tool, the way it reads any tool error.
      const calls = invalid.map((call) => ({ id: call.id ?? `call_${randomUUID()}`, name: call.name ?? 'unknown', args: {}, type: 'tool_call' as const }));
      messages = [
        ...messages,
        new AIMessage({ content: '', tool_calls: calls }),
        ...calls.map(
          (call, index) =>
            new ToolMessage({
              tool_call_id: call.id,
              name: call.name,
              status: 'error',
              content: `Error: the arguments were not valid JSON (${invalid[index].error ?? 'parse error'}): ${invalid[index].args ?? ''}. Call the tool again with valid JSON arguments.`,
            }),
        ),
      ];
    }
  },
});

/** The reply under a fresh id, marked, with tool calls written as text turned into real ones. */
function repairedCopy(reply: AIMessage): AIMessage {
  const parsed = (reply.tool_calls?.length ?? 0) > 0 ? undefined : textToolCalls(reply.text);
  // The provider's raw tool calls stay out: `tool_calls` / `invalid_tool_calls` say it all.
  const { tool_calls: _raw, ...additional_kwargs } = reply.additional_kwargs;
  return new AIMessage({
    id: randomUUID(),
    name: reply.name,
    content: parsed ? parsed.text : reply.content,
    tool_calls: parsed ? parsed.calls : reply.tool_calls,
    invalid_tool_calls: reply.invalid_tool_calls,
    additional_kwargs,
    usage_metadata: reply.usage_metadata,
    response_metadata: { ...reply.response_metadata, [WHOLE_REPLY]: true },
  });
}
