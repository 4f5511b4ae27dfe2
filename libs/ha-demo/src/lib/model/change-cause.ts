/**
 * Why an entity changed state, as HA records it in the change's context: a person acting through
 * the UI/app (the context carries their user id and the service they called), an automation run
 * (the context is the automation's trigger context), or nothing traceable (a physical switch,
 * a sensor reporting — HA's context then has no user and no parent).
 */
export type ChangeCause =
  | { kind: 'user'; userId: string; domain: string; service: string }
  | { kind: 'automation'; automationId: string; trigger: string };
