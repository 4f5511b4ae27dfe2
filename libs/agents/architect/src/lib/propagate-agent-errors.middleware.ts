import { AgentError } from '@aether/core';
import { createMiddleware, ToolMessage } from 'langchain';

/**
 * `createAgent`'s ToolNode turns every tool exception into an error ToolMessage for the model to
 * read — which would let the model paper over a failed agent call (a service down) with an answer.
 * Errors thrown from `wrapToolCall` middleware are not caught that way, so this middleware rethrows
 * `AgentError`s (the Architect run then fails with them) and keeps the default behaviour for any
 * other tool failure.
 */
export const propagateAgentErrors = createMiddleware({
  name: 'PropagateAgentErrors',
  wrapToolCall: async (request, handler) => {
    try {
      return await handler(request);
    } catch (error) {
      if (findAgentError(error)) throw error;
      return new ToolMessage({
        content: `Error: ${error instanceof Error ? error.message : String(error)}`,
        tool_call_id: request.toolCall.id ?? '',
        name: request.toolCall.name,
        status: 'error',
      });
    }
  },
});

/** The AgentError behind an error, looking through wrappers (LangChain's MiddlewareError keeps it as `cause`). */
export function findAgentError(error: unknown): AgentError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth += 1) {
    if (current instanceof AgentError) return current;
  }
  return undefined;
}
