import type { Finding } from '@aether/core';
import type { EnergyFigures } from './energy-statistics';

export type EnergyFinding = Finding & { specialist: 'energy' };

/** Untracked consumption above this share of the mains is worth a look. */
const UNTRACKED_CONCERN_SHARE = 0.25;
/** A device above this share of the total dominates the bill. */
const DOMINANT_CONSUMER_SHARE = 0.3;
/** Night baseload above this fraction of the average power points at always-on loads. */
const HIGH_BASELOAD_RATIO = 0.5;

/** Rule-based findings over the computed figures: every number quoted comes from `figures`. */
export function deriveEnergyFindings(figures: EnergyFigures): EnergyFinding[] {
  const findings: EnergyFinding[] = [];
  const add = (finding: Omit<EnergyFinding, 'specialist'>) => findings.push({ specialist: 'energy', ...finding });

  const silent = figures.sensors.filter((s) => s.readings === 0);
  for (const sensor of silent) {
    add({
      type: 'data_quality_flag',
      title: `${sensor.name} reported no readings`,
      description: `${sensor.entityId} has no numeric state in the window; its consumption counts as 0 kWh.`,
      confidence: 0.9,
      entities: [sensor.entityId],
      evidence: { readings: 0 },
    });
  }
  if (figures.totalKwh <= 0) {
    add({
      type: 'data_quality_flag',
      title: 'No consumption recorded',
      description: `The energy meters recorded no consumption between ${figures.coverage?.statistics?.start ?? figures.window.start} and ${figures.window.end}.`,
      confidence: 0.8,
      entities: figures.sensors.map((s) => s.entityId),
      evidence: { totalKwh: figures.totalKwh, start: figures.window.start, end: figures.window.end },
    });
    return findings;
  }

  const top = figures.topConsumers[0];
  if (top?.share != null) {
    add({
      type: 'insight',
      title: `${top.name} is the top consumer at ${percent(top.share)} of total`,
      description: `${top.name} used ${kwh(top.kwh)} of ${kwh(figures.totalKwh)} in the last ${figuresHours(figures)} h.`,
      confidence: 0.9,
      entities: [top.entityId],
      evidence: { kwh: top.kwh, totalKwh: figures.totalKwh, share: top.share },
    });
    if (top.share >= DOMINANT_CONSUMER_SHARE) {
      add({
        type: 'recommendation',
        title: `Review when ${top.name} runs`,
        description: `It accounts for ${percent(top.share)} of consumption; scheduling it outside the peak hour or tightening its settings has the largest effect.`,
        confidence: 0.7,
        entities: [top.entityId],
        evidence: { share: top.share },
      });
    }
  }

  if (figures.untrackedKwh !== null && figures.balance && figures.totalKwh > 0) {
    const untrackedShare = figures.untrackedKwh / figures.totalKwh;
    const balanceMeters = figures.sensors.filter((s) => s.role !== 'consumer').map((s) => s.entityId);
    if (untrackedShare >= UNTRACKED_CONCERN_SHARE) {
      add({
        type: 'concern',
        title: `${percent(untrackedShare)} of consumption is not tracked by any device meter`,
        description: `${kwh(figures.untrackedKwh)} of the ${kwh(figures.totalKwh)} the home used is not accounted for by device meters.`,
        confidence: 0.8,
        entities: balanceMeters,
        evidence: { untrackedKwh: figures.untrackedKwh, homeKwh: figures.totalKwh, share: untrackedShare },
      });
    } else if (untrackedShare < -0.01) {
      add({
        type: 'data_quality_flag',
        title: 'Device meters add up to more than the home used',
        description: `Devices sum to ${kwh(figures.consumersKwh)} but the home used ${kwh(figures.totalKwh)} (grid, production and battery meters): a device may be counted twice, or a grid, solar or battery meter is missing from the Energy configuration.`,
        confidence: 0.7,
        entities: figures.sensors.map((s) => s.entityId),
        evidence: { consumersKwh: figures.consumersKwh, homeKwh: figures.totalKwh },
      });
    }
  }

  if (figures.peakHour) {
    add({
      type: 'insight',
      title: `Consumption peaks ${figures.peakHour.label}`,
      description: `${kwh(figures.peakHour.kwh)} in that hour, the most of any clock hour in the window.`,
      confidence: 0.85,
      entities: [],
      evidence: { hour: figures.peakHour.label, kwh: figures.peakHour.kwh },
    });
  }

  if (figures.nightBaseloadKw !== null) {
    const averageKw = figures.totalKwh / figuresHours(figures);
    add({
      type: 'insight',
      title: `Night baseload ${figures.nightBaseloadKw.toFixed(2)} kW`,
      description: `The lowest hourly average power between 00:00 and 05:00: what stays on all the time (about ${Math.round(figures.nightBaseloadKw * 8760)} kWh a year).`,
      confidence: 0.8,
      entities: [],
      evidence: { nightBaseloadKw: figures.nightBaseloadKw },
    });
    if (averageKw > 0 && figures.nightBaseloadKw / averageKw >= HIGH_BASELOAD_RATIO) {
      add({
        type: 'recommendation',
        title: 'Look for always-on loads',
        description: `Even the quietest night hour draws ${percent(figures.nightBaseloadKw / averageKw)} of the average power (${averageKw.toFixed(2)} kW); standby devices, pumps or heaters that never switch off are likely.`,
        confidence: 0.7,
        entities: [],
        evidence: { nightBaseloadKw: figures.nightBaseloadKw, averageKw },
      });
    }
  }
  return findings;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

function kwh(value: number): string {
  return `${value.toFixed(3)} kWh`;
}

/** The hours the figures rest on: history, plus the long-term statistics before it when used. */
export function figuresHours(figures: Pick<EnergyFigures, 'window' | 'coverage'>): number {
  return Math.round((figures.window.hours + (figures.coverage?.statistics?.hours ?? 0)) * 100) / 100;
}
