import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { GATEWAY_ROUTE_PREFIXES } from '../gateway-routes';
import { ModelCatalog, type ModelObject } from './model-catalog.service';

@Controller(GATEWAY_ROUTE_PREFIXES)
@UseGuards(ApiKeyGuard)
export class ModelsController {
  constructor(private readonly catalog: ModelCatalog) {}

  @Get('models')
  list(): { object: 'list'; data: ModelObject[] } {
    return { object: 'list', data: this.catalog.list() };
  }

  // A wildcard, because model ids may contain slashes (`openai/gpt-4o` on OpenRouter).
  @Get('models/*model')
  retrieve(@Param('model') model: string | string[]): ModelObject {
    return this.catalog.get(Array.isArray(model) ? model.join('/') : model);
  }
}
