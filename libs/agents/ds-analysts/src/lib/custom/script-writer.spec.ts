import { OfflineUtilityModel } from '@aether/llm';
import { MAX_SCRIPT_SERIES, readScriptPlan, ScriptWriter, type StatisticSeries } from './script-writer';

const KNOWN = new Set(['sensor.mains_energy', 'sensor.outdoor_temperature']);
const SCRIPT = "import pandas as pd\nprint(pd.read_csv('/input/statistics.csv').shape)\n";

describe('readScriptPlan: the model\'s answer, read as models write it', () => {
  it('reads a json block and a python block, with prose around them', () => {
    const text = `Sure.\n\`\`\`json\n{"title": "import by weekday", "statistic_ids": ["sensor.mains_energy", "sensor.mains_energy"], "period": "day"}\n\`\`\`\nThen:\n\`\`\`python\n${SCRIPT}\`\`\`\nDone.`;
    expect(readScriptPlan(text, KNOWN)).toEqual({ title: 'import by weekday', statisticIds: ['sensor.mains_energy'], period: 'day', script: SCRIPT });
  });

  it('reads one JSON object with the script inside, fenced without a language or bare', () => {
    const object = { title: 't', statistic_ids: ['sensor.outdoor_temperature'], period: 'hour', script: SCRIPT };
    expect(readScriptPlan(`\`\`\`\n${JSON.stringify(object)}\n\`\`\``, KNOWN)).toMatchObject({ statisticIds: ['sensor.outdoor_temperature'], period: 'hour', script: SCRIPT });
    expect(readScriptPlan(`Here you go: ${JSON.stringify(object)}`, KNOWN)).toMatchObject({ script: SCRIPT });
  });

  it('does not take a brace of the python code for the header', () => {
    expect(readScriptPlan(`\`\`\`python\nd = {"a": 1}\n\`\`\``, KNOWN)).toBe('no json block with title, statistic_ids and period');
  });

  it.each([
    ['{"statistic_ids": ["sensor.mains_energy"], "period": "day"}', 'no python block with the script'],
    ['{"statistic_ids": ["sensor.kitchen_secret"], "period": "day", "script": "x"}', "not among the home's statistics: sensor.kitchen_secret"],
    ['{"statistic_ids": [], "period": "day", "script": "x"}', 'statistic_ids must list at least one statistic id'],
    [`{"statistic_ids": ${JSON.stringify(Array.from({ length: MAX_SCRIPT_SERIES + 1 }, (_, i) => `sensor.s${i}`))}, "period": "day", "script": "x"}`, `statistic_ids lists more than ${MAX_SCRIPT_SERIES} series`],
    ['{"statistic_ids": ["sensor.mains_energy"], "period": "5minute", "script": "x"}', 'period must be "hour" or "day"'],
    ['{"statistic_ids": ["sensor.mains_energy"], "period": "day", "script": "x"', 'no json block with title, statistic_ids and period'],
    ['```json\n[1, 2]\n```', 'the json block is not an object'],
    ['```json\n{"a": }\n```', 'the json block is not valid JSON'],
  ])('says what is wrong with %s', (text, problem) => {
    expect(readScriptPlan(text, KNOWN)).toBe(problem);
  });
});

describe('ScriptWriter.start: what the model is shown', () => {
  const window = { text: '720 h', start: new Date('2026-10-21T21:30:00Z'), end: new Date('2026-11-20T21:30:00Z'), timeZone: 'Europe/Amsterdam' };

  it('lists every series of a small home with its name, unit and kind, and the window in the home\'s time zone', () => {
    const series: StatisticSeries[] = [
      { id: 'sensor.mains_energy', name: 'Mains Energy Meter', unit: 'kWh', kind: 'meter' },
      { id: 'sensor.outdoor_temperature', name: 'Outdoor Temperature', unit: '°C', kind: 'measurement' },
    ];
    const [system, user] = new ScriptWriter(new OfflineUtilityModel(), 'm').start('Is it colder on Mondays?', window, series);
    expect(system.content).toContain('/output/findings.json');
    expect(user.content).toContain('Question: Is it colder on Mondays?');
    expect(user.content).toContain('time zone Europe/Amsterdam');
    expect(user.content).toContain('- sensor.mains_energy — Mains Energy Meter, kWh, meter\n- sensor.outdoor_temperature — Outdoor Temperature, °C, measurement');
  });

  it('lists at most 80 series of a large home, those the question names first', () => {
    const series: StatisticSeries[] = Array.from({ length: 200 }, (_, i) => ({ id: `sensor.meter_${String(i).padStart(3, '0')}`, name: `Meter ${i}`, unit: 'kWh', kind: 'meter' as const }));
    series.push({ id: 'sensor.zz_sauna_energy', name: 'Sauna Energy', unit: 'kWh', kind: 'meter' });
    const [, user] = new ScriptWriter(new OfflineUtilityModel(), 'm').start('Does the sauna use more at weekends?', window, series);
    const listed = String(user.content).split('\n').filter((line) => line.startsWith('- '));
    expect(listed).toHaveLength(80);
    expect(listed[0]).toContain('sensor.zz_sauna_energy');
    expect(user.content).toContain('(80 of 201, those the question names first)');
  });
});
