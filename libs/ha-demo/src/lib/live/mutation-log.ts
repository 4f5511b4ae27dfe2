export type MutationKind = 'service_call' | 'state_write' | 'config_write' | 'config_delete' | 'lovelace_save' | 'lovelace_delete' | 'dashboard_create' | 'dashboard_delete' | 'helper_create' | 'helper_update' | 'helper_delete' | 'event_fire';

export interface MutationRecord {
  /** ISO instant the mutation was attempted. */
  at: string;
  kind: MutationKind;
  /** 'error' when HA refused it (unknown service, malformed config…): attempted, nothing changed. */
  outcome: 'ok' | 'error';
  error?: string;
  [detail: string]: unknown;
}

/**
 * Every write made to the home through its API, in order — service calls, state writes, config
 * writes and deletes, dashboard saves, helpers made, changed and deleted, fired events — including refused attempts, so tests can prove that
 * nothing touched Home Assistant without an approved proposal (`GET /api/__demo/mutations`).
 */
export class MutationLog {
  private readonly records: MutationRecord[] = [];

  record(atMs: number, kind: MutationKind, detail: Record<string, unknown>, error?: string): void {
    this.records.push({ at: new Date(atMs).toISOString(), kind, outcome: error === undefined ? 'ok' : 'error', ...(error === undefined ? {} : { error }), ...detail });
  }

  list(): MutationRecord[] {
    return this.records.map((record) => structuredClone(record));
  }
}
