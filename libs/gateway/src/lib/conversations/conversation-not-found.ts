import { OpenAiApiException } from '../errors/openai-error';

/** 404 for a conversation that does not exist for this caller (another caller's is "not found" too). */
export function conversationNotFound(id: string, param: string): OpenAiApiException {
  return new OpenAiApiException(404, {
    message: `No conversation found with id '${id}'.`,
    type: 'invalid_request_error',
    param,
    code: 'conversation_not_found',
  });
}
