export { HomeAssistantClient, HomeAssistantError, type HomeAssistantErrorKind } from './lib/home-assistant.client';
export type * from './lib/home-assistant.types';
export type { HomeAssistantConnectionOptions } from './lib/home-assistant-connection-options';
export { HttpHomeAssistantClient } from './lib/http-home-assistant.client';
export { createHomeAssistantClient } from './lib/create-home-assistant-client';
export { HomeAssistantModule, type HomeAssistantModuleAsyncOptions } from './lib/home-assistant.module';
export { haSlugify } from '@aether/core';
export { HELPER_DOMAINS, isHelperDomain, validateHelperConfig, type HaHelperConfig, type HaHelperDomain, type HaHelperItem, type HelperVerdict } from './lib/helper-contract';
export { validateHaConfig, HA_TRIGGER_PLATFORMS, HA_CONDITION_TYPES, type HaConfigKind, type HaConfigVerdict } from './lib/ha-config-contract';
export { saveConfigAndAwaitEntity, deleteConfigAndAwaitRemoval, type ConfirmOptions } from './lib/confirmed-config-write';
export { HomeAssistantAccess, NON_ADMIN_LIMITATION, type HomeAssistantAccessReport } from './lib/home-assistant-access';
export {
  reviewLovelaceConfig,
  lovelaceUrlPathProblem,
  HA_LOVELACE_CARD_TYPES,
  HA_LOVELACE_VIEW_TYPES,
  HA_LOVELACE_SECTION_TYPES,
  type HaLovelaceCardType,
  type LovelaceConfigReview,
} from './lib/lovelace-contract';
export { checkHomeAssistantContract, formatContractReport, type ContractCheckResult, type ContractOutcome, type ContractReport } from './lib/contract/ha-contract';
