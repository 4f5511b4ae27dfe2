import { randomUUID } from 'node:crypto';
import { Role, type Message, type SendMessageRequest } from '@a2a-js/sdk';
import { AgentError, remainingBudgetMs, type AgentRequest, type ChatTurn } from '@aether/core';
import { z } from 'zod';
import { A2A_METADATA, dataPart, textPart } from './a2a-wire';

/** The data part of an Aether request message: everything in `AgentRequest` that is not text. */
export interface AgentRequestPayload {
  history: ChatTurn[];
  data?: Record<string, unknown>;
}

const payloadSchema = z.object({
  history: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** Builds the A2A `SendMessage` request for an agent call (used by the HTTP and in-process clients). */
export function encodeAgentRequest(request: AgentRequest): SendMessageRequest {
  const payload: AgentRequestPayload = { history: request.history };
  if (request.data !== undefined) payload.data = request.data;

  const metadata: Record<string, string | number> = { [A2A_METADATA.userId]: request.context.userId };
  if (request.context.model) metadata[A2A_METADATA.model] = request.context.model;
  const budget = remainingBudgetMs(request.context.deadline);
  if (budget !== undefined) metadata[A2A_METADATA.budgetMs] = budget;

  const message: Message = {
    messageId: randomUUID(),
    contextId: request.context.conversationId,
    taskId: '',
    role: Role.ROLE_USER,
    parts: [textPart(request.message), dataPart(payload)],
    metadata,
    extensions: [],
    referenceTaskIds: [],
  };
  return { tenant: '', message, configuration: undefined, metadata: undefined };
}

/**
 * Rebuilds the `AgentRequest` from an incoming A2A message. Accepts plain messages from foreign A2A
 * clients too: text only (no history), or a data part that is not Aether's payload (taken as `data`).
 */
export function decodeAgentRequest(message: Message, contextId: string): AgentRequest {
  const texts: string[] = [];
  let payload: AgentRequestPayload | undefined;
  let foreignData: Record<string, unknown> | undefined;

  for (const part of message.parts) {
    const content = part.content;
    if (content?.$case === 'text') {
      texts.push(content.value);
    } else if (content?.$case === 'data' && isPlainObject(content.value)) {
      if ('history' in content.value) {
        if (payload) throw new AgentError('invalid_input', 'The message carries more than one Aether request payload');
        const parsed = payloadSchema.safeParse(content.value);
        if (!parsed.success) {
          throw new AgentError('invalid_input', `Malformed request payload: ${parsed.error.issues[0].message}`);
        }
        payload = parsed.data;
      } else {
        foreignData ??= content.value;
      }
    }
  }
  if (texts.length === 0 && !payload?.data && !foreignData) {
    throw new AgentError('invalid_input', 'The message has neither a text part nor structured data');
  }

  const metadata = message.metadata ?? {};
  const userId = metadata[A2A_METADATA.userId];
  const model = metadata[A2A_METADATA.model];
  const budget = budgetOf(message);
  return {
    message: texts.join('\n'),
    history: payload?.history ?? [],
    data: payload?.data ?? foreignData,
    context: {
      conversationId: contextId,
      userId: typeof userId === 'string' && userId !== '' ? userId : 'anonymous',
      model: typeof model === 'string' && model !== '' ? model : undefined,
      ...(budget !== undefined ? { deadline: Date.now() + budget } : {}),
    },
  };
}

/**
 * The deadline budget a message carries (ms left when it was sent), or undefined when it carries
 * none. A malformed budget is ignored: it must not break a call.
 */
export function budgetOf(message: Message): number | undefined {
  const value = message.metadata?.[A2A_METADATA.budgetMs];
  return typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
