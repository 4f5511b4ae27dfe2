/** The home's time zone as HA's `GET /api/config` gives it: the one its local days and hours are counted in. */
export async function haTimeZone(haUrl: string, token: string): Promise<string> {
  const res = await fetch(`${haUrl}/api/config`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET /api/config failed: ${res.status}`);
  return ((await res.json()) as { time_zone: string }).time_zone;
}
