import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { HomeAssistantAccessReport } from '@aether/core';
import { HomeAssistantClient } from './home-assistant.client';

/** What health says when the token's user is no administrator. */
export const NON_ADMIN_LIMITATION = "config APIs unavailable: the HA token's user is not an administrator";

export type { HomeAssistantAccessReport };

/**
 * The rights of the HA token, learnt at start from WS `auth/current_user`. A non-admin user's
 * token still reads states, history and registries, but HA refuses it the config APIs, templates
 * and the error log: Aether starts anyway, says so once in the log and in health, and the calls
 * that need those rights fail with a message that says why.
 */
@Injectable()
export class HomeAssistantAccess implements OnApplicationBootstrap {
  private readonly logger = new Logger('HomeAssistant');
  private admin: boolean | null = null;
  private checking?: Promise<void>;

  constructor(@Inject(HomeAssistantClient) private readonly homeAssistant: HomeAssistantClient) {}

  onApplicationBootstrap(): void {
    // Not awaited: an unreachable HA must not hold up the start; `report()` says "not known yet".
    void this.check();
  }

  /** Asks HA who the token's user is (once at a time); an unreachable HA leaves the answer unknown. */
  check(): Promise<void> {
    this.checking ??= this.homeAssistant
      .getCurrentUser()
      .then((user) => {
        this.admin = user.is_admin;
        if (!user.is_admin) this.logger.warn(`${NON_ADMIN_LIMITATION} (user "${user.name ?? user.id}"); read-only features keep working`);
      })
      .catch((error: unknown) => {
        // Unknown for now (HA unreachable, or too old for the command): asked again on the next report.
        this.logger.debug(`could not read the HA token's user: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  report(): HomeAssistantAccessReport {
    if (this.admin === null) void this.check();
    return { admin: this.admin, limitations: this.admin === false ? [NON_ADMIN_LIMITATION] : [] };
  }
}
