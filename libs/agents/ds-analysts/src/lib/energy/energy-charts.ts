import { MONTH_NAMES, type ImageEvent } from '@aether/core';
import type { EnergyFigures } from './energy-statistics';
import { MAX_DAILY_LINES, monthlyTotals } from './energy-report.format';

/**
 * The energy report's pictures, as SVG bar charts: consumption per day (per month for a window
 * longer than the report lists day by day) and the average power at each clock hour.
 *
 * Written by hand: a bar chart is a few dozen rectangles and labels, while the chart libraries
 * that render SVG outside a browser (Vega, Chart.js on a canvas, ECharts' SSR) bring a DOM or a
 * canvas and tens of megabytes into a service whose whole budget is 150 MB.
 */
export function energyCharts(figures: EnergyFigures): ImageEvent[] {
  const charts: ImageEvent[] = [];
  const days = Object.entries(figures.dailyTotals);
  if (days.length > MAX_DAILY_LINES) {
    const months = [...monthlyTotals(figures.dailyTotals)];
    charts.push(chart('Energy use per month', 'kWh', months.map(([month, kwh]) => ({ label: monthLabel(month), value: kwh }))));
  } else if (days.length >= 2) {
    charts.push(chart('Energy use per day', 'kWh', days.map(([day, kwh]) => ({ label: dayLabel(day), value: kwh }))));
  }
  const hours = Object.entries(figures.hourlyAverages).sort(([a], [b]) => Number(a) - Number(b));
  if (hours.some(([, kw]) => kw > 0)) {
    charts.push(chart('Average power by hour of day', 'kW', hours.map(([hour, kw]) => ({ label: `${hour.padStart(2, '0')}:00`, value: kw }))));
  }
  return charts;
}

interface Bar {
  label: string;
  value: number;
}

const WIDTH = 720;
const HEIGHT = 300;
const MARGIN = { top: 40, right: 16, bottom: 48, left: 56 };
/** Most x labels shown: beyond it every n-th bar is labelled. */
const MAX_X_LABELS = 16;

function chart(title: string, unit: string, bars: Bar[]): ImageEvent {
  const svg = barChartSvg(`${title} (${unit})`, unit, bars);
  return { type: 'image', agent: 'ds-analysts', title, mediaType: 'image/svg+xml', data: Buffer.from(svg).toString('base64') };
}

/** A bar chart with a zero-based y axis on round ticks, its title, and its values in each bar's tooltip (as the report writes them). */
export function barChartSvg(title: string, unit: string, bars: readonly Bar[]): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = niceTicks(Math.max(0, ...bars.map((bar) => bar.value)));
  const top = ticks[ticks.length - 1];
  const y = (value: number) => MARGIN.top + plotHeight - (Math.max(0, value) / top) * plotHeight;
  const slot = plotWidth / Math.max(1, bars.length);
  const barWidth = Math.max(1, slot * 0.8);
  const labelEvery = Math.ceil(bars.length / MAX_X_LABELS);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${xml(title)}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${xml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="600" fill="#1f2937">${xml(title)}</text>`,
  ];
  for (const tick of ticks) {
    const at = round(y(tick));
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${at}" y2="${at}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${at + 4}" text-anchor="end" fill="#4b5563">${xml(formatTick(tick))}</text>`);
  }
  bars.forEach((bar, i) => {
    const x = MARGIN.left + i * slot + (slot - barWidth) / 2;
    const barTop = y(bar.value);
    parts.push(
      `<rect x="${round(x)}" y="${round(barTop)}" width="${round(barWidth)}" height="${round(MARGIN.top + plotHeight - barTop)}" fill="#2563eb"><title>${xml(`${bar.label}: ${bar.value.toFixed(3)} ${unit}`)}</title></rect>`,
    );
    if (i % labelEvery === 0) {
      parts.push(`<text x="${round(x + barWidth / 2)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" fill="#4b5563">${xml(bar.label)}</text>`);
    }
  });
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#9ca3af"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Round y-axis ticks from 0 covering `max`: steps of 1, 2 or 5 × 10ⁿ, about five of them. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) as number;
  const count = Math.ceil(max / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

function formatTick(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

/** "11" → "Nov". */
function shortMonth(number: string): string {
  const name = MONTH_NAMES[Number(number) - 1];
  return name ? name.charAt(0).toUpperCase() + name.slice(1, 3) : number;
}

/** "2026-11-28" → "Nov 28". */
function dayLabel(day: string): string {
  const [, month, date] = day.split('-');
  return `${shortMonth(month)} ${Number(date)}`;
}

/** "2026-11" → "Nov 2026". */
function monthLabel(month: string): string {
  const [year, number] = month.split('-');
  return `${shortMonth(number)} ${year}`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
