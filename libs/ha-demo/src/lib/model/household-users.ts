import type { Resident } from './household-routine';

/** HA user ids (32 hex digits) of the residents' accounts: what a manual change's context carries as `user_id`. */
export const HOUSEHOLD_USER_IDS: Record<Resident, string> = {
  alex: '4f1c9a7be2d84c0f9a3e6b51d0c7e2a8',
  sam: 'b7e2d05a93c14f6e8d2a1c9f4b6e3d70',
};
