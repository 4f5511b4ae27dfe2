import { LlmProfile } from '@aether/llm';
import { Inject, Injectable } from '@nestjs/common';
import { OpenAiApiException } from '../errors/openai-error';
import { unixSeconds } from '../chat/completion-chunks';

export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: 'aether';
}

/** The models clients may ask for, as the LLM factory lists them (GET /models, `model` validation). */
@Injectable()
export class ModelCatalog {
  /** Models are configuration, not records; they "exist" since this process started. */
  private readonly created = unixSeconds();

  constructor(@Inject(LlmProfile) private readonly factory: LlmProfile) {}

  list(): ModelObject[] {
    return this.factory.listModels().map((id) => this.toModelObject(id));
  }

  get(id: string): ModelObject {
    return this.toModelObject(this.resolve(id));
  }

  /** The model that answers a request: the requested one if it is offered, else the first listed. */
  resolve(requested: string | undefined): string {
    const available = this.factory.listModels();
    if (requested === undefined) {
      if (available.length === 0) {
        throw new OpenAiApiException(503, {
          message: 'No model is configured on this server.',
          type: 'server_error',
          code: 'no_models',
        });
      }
      return available[0];
    }
    if (!available.includes(requested)) {
      throw new OpenAiApiException(404, {
        message: `The model '${requested}' does not exist. Available models: ${available.join(', ') || '(none)'}.`,
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      });
    }
    return requested;
  }

  private toModelObject(id: string): ModelObject {
    return { id, object: 'model', created: this.created, owned_by: 'aether' };
  }
}
