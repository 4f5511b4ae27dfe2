/** Where the demo house is: what HA's core config reports and what drives its sun and weather. */
export interface DemoSite {
  locationName: string;
  latitude: number;
  longitude: number;
  elevation: number;
  timeZone: string;
  currency: string;
  country: string;
  language: string;
}

export const AETHER_DEMO_SITE: DemoSite = {
  locationName: 'Aether Demo Home',
  latitude: 53.3498,
  longitude: -6.2603,
  elevation: 8,
  timeZone: 'Europe/Dublin',
  currency: 'EUR',
  country: 'IE',
  language: 'en',
};

/** The HA version the demo home claims (recent enough for every WebSocket feature clients probe). */
export const DEMO_HA_VERSION = '2026.11.0';
