import { validateHaConfig, type HaConfigCheckResult } from '@aether/home-assistant';
import type { LiveHome } from '../live/live-home';

/**
 * `POST /api/config/core/check_config` over what is stored: each automation, script and scene is
 * validated by the HA config contract, and each refusal is one line of `errors`, as HA's
 * `check_config` reports an invalid item of `automations.yaml` / `scripts.yaml` / `scenes.yaml`.
 */
export function checkStoredConfigs(house: LiveHome): HaConfigCheckResult {
  const errors: string[] = [];
  const check = (kind: 'automation' | 'script' | 'scene', file: string, key: string, config: unknown) => {
    const verdict = validateHaConfig(kind, key, config);
    if (!verdict.ok) errors.push(`Invalid config for '${kind}' at ${file}, ${kind} ${key}: ${verdict.reason.replace(/^(Message|Key) malformed: /, '')}`);
  };
  for (const config of house.automationConfigs()) check('automation', 'automations.yaml', String(config.id), config);
  for (const [key, config] of Object.entries(house.scriptConfigs())) check('script', 'scripts.yaml', key, config);
  for (const config of house.sceneConfigs()) check('scene', 'scenes.yaml', String(config.id), config);
  return errors.length === 0 ? { result: 'valid', errors: null, warnings: null } : { result: 'invalid', errors: errors.join('\n'), warnings: null };
}
