// What an agent service's liveness report (`GET /health`, terminus-shaped: `info.<agent>`) tells its
// callers beyond "alive": the gateway shows it in `/api/v1/health` for the agents it reaches over
// HTTP, as it does for the agents it runs itself.

/** The HA token's rights as a process that talks to Home Assistant learnt them at start. */
export interface HomeAssistantAccessReport {
  /** Whether the token's user is an administrator; null until known (HA not reached yet). */
  admin: boolean | null;
  /** What Aether cannot do with this token; read-only features keep working. */
  limitations: string[];
}

export interface ServiceHealthDetails {
  homeAssistantAccess?: HomeAssistantAccessReport;
}

/** The details in an agent service's `/health` body; whatever is missing or malformed is left out. */
export function readServiceHealthDetails(body: unknown, agent: string): ServiceHealthDetails {
  const entry = (body as { info?: Record<string, unknown> } | null)?.info?.[agent] as { homeAssistantAccess?: unknown } | undefined;
  const access = entry?.homeAssistantAccess as Partial<HomeAssistantAccessReport> | undefined;
  const valid =
    access !== undefined &&
    (access.admin === null || typeof access.admin === 'boolean') &&
    Array.isArray(access.limitations) &&
    access.limitations.every((line) => typeof line === 'string');
  return valid ? { homeAssistantAccess: { admin: access.admin as boolean | null, limitations: access.limitations as string[] } } : {};
}

/**
 * One view of several processes' reports (they share one token): not an administrator as soon as
 * one of them learnt so, an administrator once every one did, unknown otherwise.
 */
export function combineHomeAssistantAccess(reports: readonly HomeAssistantAccessReport[]): HomeAssistantAccessReport | undefined {
  if (reports.length === 0) return undefined;
  const admin = reports.some((r) => r.admin === false) ? false : reports.every((r) => r.admin === true) ? true : null;
  return { admin, limitations: [...new Set(reports.flatMap((r) => r.limitations))] };
}
