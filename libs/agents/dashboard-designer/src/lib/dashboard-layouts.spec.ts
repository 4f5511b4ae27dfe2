import type { CatalogEntityView } from '@aether/core';
import { createHomeAssistantClient, reviewLovelaceConfig, type HaEnergyPrefs, type HomeAssistantClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import { designDashboard } from './dashboard-layouts';
import { readDashboardRequest } from './dashboard-request';
import { catalogOf } from './testing/demo-catalog';

const NOW = Date.parse('2026-11-20T18:30:00Z');

describe('readDashboardRequest', () => {
  const areas = ['Garage', 'Kitchen', 'Living Room'];
  it.each([
    ['Design a dashboard for my energy', { topic: 'energy' }],
    ['Design a dashboard for the living room', { topic: 'area', area: 'Living Room' }],
    ['make me a LIVING-ROOM dashboard', { topic: 'area', area: 'Living Room' }],
    ['A security dashboard: locks, doors and the alarm', { topic: 'security' }],
    ['a dashboard for heating and temperatures', { topic: 'climate' }],
    ['a dashboard for the garage doors', { topic: 'area', area: 'Garage' }],
  ])('%s', (message, subject) => expect(readDashboardRequest(message, areas)).toEqual(subject));

  it('reads nothing from a request that names neither a topic nor an area of the home', () => {
    expect(readDashboardRequest('design a dashboard', areas)).toBeUndefined();
    expect(readDashboardRequest('a dashboard for the attic', areas)).toBeUndefined();
  });
});

describe('designDashboard against the demo home', () => {
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  let entities: CatalogEntityView[];
  let prefs: HaEnergyPrefs | null;
  let live: Set<string>;

  beforeAll(async () => {
    demo = await startDemoHome({ now: () => NOW });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 10_000 });
    ({ entities } = await catalogOf(ha));
    prefs = await ha.getEnergyPrefs();
    live = new Set((await ha.getStates()).map((s) => s.entity_id));
  }, 60_000);
  afterAll(async () => {
    await ha?.close();
    await demo?.stop();
  });

  /** Shipped card types and layouts only, every entity live; returns what it shows. */
  function checked(config: Record<string, unknown>) {
    const review = reviewLovelaceConfig(config);
    expect(review.errors).toEqual([]);
    expect(review.entityIds.filter((id) => !live.has(id))).toEqual([]);
    return review;
  }

  it('energy: HA’s energy cards that fit the prefs (grid with return, solar, devices), then the power sensors and the prefs’ meters', () => {
    const dashboard = designDashboard({ topic: 'energy' }, { entities, energyPrefs: prefs })!;
    expect(dashboard).toMatchObject({ urlPath: 'aether-energy', title: 'Energy' });
    const review = checked(dashboard.config);
    expect(review.cardTypes).toEqual(
      expect.arrayContaining(['energy-date-selection', 'energy-usage-graph', 'energy-distribution', 'energy-sources-table', 'energy-solar-graph', 'energy-grid-neutrality-gauge', 'energy-devices-graph']),
    );
    expect(review.cardTypes).not.toContain('energy-gas-graph');
    expect(review.cardTypes).not.toContain('energy-water-graph');
    const meters = prefs!.energy_sources.flatMap((s) => [...(s.flow_from ?? []).map((f) => f.stat_energy_from), s.stat_energy_from]).filter(Boolean);
    expect(review.entityIds).toEqual(expect.arrayContaining(meters));
    const view = (dashboard.config['views'] as Array<Record<string, unknown>>)[0];
    expect(view).toMatchObject({ type: 'sections', title: 'Energy' });
  });

  it('energy without prefs: no energy cards (they would be empty), the power and energy sensors only', () => {
    const review = checked(designDashboard({ topic: 'energy' }, { entities, energyPrefs: null })!.config);
    expect(review.cardTypes.filter((type) => type.startsWith('energy-'))).toEqual([]);
    expect(review.entityIds.length).toBeGreaterThan(0);
  });

  it('the living room: its own lights, climate, blinds, media and sensors — nothing of another room', () => {
    const dashboard = designDashboard({ topic: 'area', area: 'Living Room' }, { entities, energyPrefs: null })!;
    expect(dashboard).toMatchObject({ urlPath: 'aether-living-room', title: 'Living Room' });
    const review = checked(dashboard.config);
    const inRoom = new Set(entities.filter((e) => e.area === 'Living Room').map((e) => e.entity_id));
    expect(review.entityIds.filter((id) => !inRoom.has(id))).toEqual([]);
    expect(review.entityIds).toEqual(expect.arrayContaining(['climate.living_room', 'media_player.living_room_tv', 'cover.living_room_blinds', 'sensor.living_room_temperature']));
    expect(review.cardTypes).toEqual(expect.arrayContaining(['heading', 'tile', 'thermostat', 'media-control', 'history-graph']));
  });

  it('security and climate: locks, garage and door sensors; thermostats and temperatures', () => {
    const security = checked(designDashboard({ topic: 'security' }, { entities, energyPrefs: null })!.config);
    expect(security.entityIds.some((id) => id.startsWith('lock.'))).toBe(true);
    expect(security.entityIds.every((id) => /^(lock|alarm_control_panel|cover|binary_sensor|camera)\./.test(id))).toBe(true);
    const climate = checked(designDashboard({ topic: 'climate' }, { entities, energyPrefs: null })!.config);
    expect(climate.cardTypes).toContain('thermostat');
    expect(climate.entityIds).toContain('sensor.living_room_temperature');
  });

  it('is deterministic, and designs nothing for an area the catalog has nothing of', () => {
    expect(designDashboard({ topic: 'area', area: 'Kitchen' }, { entities, energyPrefs: null })).toEqual(designDashboard({ topic: 'area', area: 'Kitchen' }, { entities: [...entities].reverse(), energyPrefs: null }));
    expect(designDashboard({ topic: 'area', area: 'Attic' }, { entities, energyPrefs: null })).toBeUndefined();
  });
});
