/**
 * The message HA's logbook shows for a state change (the frontend's `computeLogbookMessage` /
 * the backend's older `_entry_message_from_state`): "turned on", "detected motion", "was locked"…
 */
export function logbookMessage(domain: string, state: string, deviceClass: unknown): string {
  if (state === 'unavailable') return 'became unavailable';
  if (state === 'unknown') return 'became unknown';
  switch (domain) {
    case 'person':
    case 'device_tracker':
      return state === 'home' ? 'arrived home' : state === 'not_home' ? 'left home' : `is at ${state}`;
    case 'sun':
      return state === 'above_horizon' ? 'has risen' : 'has set';
    case 'binary_sensor':
      return binarySensorMessage(state === 'on', deviceClass);
    case 'cover':
      return ({ open: 'was opened', closed: 'was closed', opening: 'is opening', closing: 'is closing' } as Record<string, string>)[state] ?? `changed to ${state}`;
    case 'lock':
      return ({ locked: 'is locked', unlocked: 'is unlocked', jammed: 'is jammed', locking: 'is locking', unlocking: 'is unlocking' } as Record<string, string>)[state] ?? `changed to ${state}`;
  }
  if (state === 'on') return 'turned on';
  if (state === 'off') return 'turned off';
  return `changed to ${state}`;
}

function binarySensorMessage(on: boolean, deviceClass: unknown): string {
  switch (deviceClass) {
    case 'motion':
    case 'occupancy':
    case 'presence':
      return on ? `detected ${deviceClass}` : `cleared (no ${deviceClass} detected)`;
    case 'door':
    case 'garage_door':
    case 'opening':
    case 'window':
      return on ? 'was opened' : 'was closed';
    default:
      return on ? 'turned on' : 'turned off';
  }
}
