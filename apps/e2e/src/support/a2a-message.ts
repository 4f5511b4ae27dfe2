import { Role, type SendMessageRequest } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';

/** A v1.0 `SendMessage` request from a user: the text, plus a data part when given (a new task in a new context). */
export function a2aUserMessage(text: string, data?: Record<string, unknown>): SendMessageRequest {
  return {
    tenant: '',
    message: {
      messageId: randomUUID(),
      contextId: randomUUID(),
      taskId: '',
      role: Role.ROLE_USER,
      parts: [
        { content: { $case: 'text', value: text }, mediaType: 'text/plain', filename: '', metadata: undefined },
        ...(data ? [{ content: { $case: 'data' as const, value: data }, mediaType: 'application/json', filename: '', metadata: undefined }] : []),
      ],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: undefined,
    metadata: undefined,
  };
}
