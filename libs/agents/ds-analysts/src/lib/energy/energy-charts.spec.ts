import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ImageEvent } from '@aether/core';
import { barChartSvg, energyCharts, niceTicks } from './energy-charts';
import type { EnergyFigures } from './energy-statistics';

function figures(dailyTotals: Record<string, number>, hourlyAverages: Record<string, number>): EnergyFigures {
  return { dailyTotals, hourlyAverages } as unknown as EnergyFigures;
}

function svgOf(image: ImageEvent): string {
  return Buffer.from(image.data, 'base64').toString('utf8');
}

/** The bars' heights and tooltips, read back from the SVG as a viewer would. */
function bars(svg: string): Array<{ height: number; title: string }> {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);
  const rects: Array<{ height: string; title?: string }> = [parsed.svg.rect].flat();
  return rects.filter((rect) => rect.title !== undefined).map((rect) => ({ height: Number(rect.height), title: String(rect.title) }));
}

describe('energy charts', () => {
  const hourly = Object.fromEntries(Array.from({ length: 24 }, (_, h) => [String(h), h === 19 ? 2.5 : 0.5]));

  it('draws consumption per day and the average power by hour as valid SVG, each bar as tall as its value', () => {
    const charts = energyCharts(figures({ '2026-11-28': 10, '2026-11-29': 20, '2026-11-30': 5 }, hourly));
    expect(charts.map((c) => [c.type, c.agent, c.title, c.mediaType])).toEqual([
      ['image', 'ds-analysts', 'Energy use per day', 'image/svg+xml'],
      ['image', 'ds-analysts', 'Average power by hour of day', 'image/svg+xml'],
    ]);
    for (const chart of charts) expect(XMLValidator.validate(svgOf(chart))).toBe(true);

    const daily = bars(svgOf(charts[0]));
    expect(daily.map((b) => b.title)).toEqual(['Nov 28: 10.000 kWh', 'Nov 29: 20.000 kWh', 'Nov 30: 5.000 kWh']);
    expect(daily[1].height / daily[0].height).toBeCloseTo(2, 2);
    expect(daily[0].height / daily[2].height).toBeCloseTo(2, 2);

    const profile = bars(svgOf(charts[1]));
    expect(profile).toHaveLength(24);
    expect(profile[19]).toMatchObject({ title: '19:00: 2.500 kW' });
    expect(profile[19].height / profile[0].height).toBeCloseTo(5, 2);
  });

  it('groups a window longer than the daily list by month, and draws no daily chart for a single day', () => {
    const days: Record<string, number> = {};
    for (let d = new Date(Date.UTC(2025, 10, 1)); d < new Date(Date.UTC(2026, 1, 1)); d.setUTCDate(d.getUTCDate() + 1)) days[d.toISOString().slice(0, 10)] = 1;
    const [monthly] = energyCharts(figures(days, {}));
    expect(monthly.title).toBe('Energy use per month');
    expect(bars(svgOf(monthly)).map((b) => b.title)).toEqual(['Nov 2025: 30.000 kWh', 'Dec 2025: 31.000 kWh', 'Jan 2026: 31.000 kWh']);

    expect(energyCharts(figures({ '2026-11-30': 4 }, hourly)).map((c) => c.title)).toEqual(['Average power by hour of day']);
    expect(energyCharts(figures({}, {}))).toEqual([]);
  });

  it('escapes text, so a label cannot break the SVG', () => {
    const svg = barChartSvg('Use <&> "quoted"', 'kWh', [{ label: '<script>', value: 1 }]);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('<script>');
  });

  it('puts the y axis on round ticks from zero that cover the highest bar', () => {
    expect(niceTicks(23)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(0.37)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
