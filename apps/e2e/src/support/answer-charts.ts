import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { API_KEY } from './gateway-client';

/**
 * Checks the charts an energy answer ends with, as a chat UI and an API client would meet them:
 * each is a Markdown image whose link (as given, without a key) returns a valid SVG; the same
 * picture without the link's secret needs the caller's key (401 without it); and the daily chart's
 * bars carry exactly the daily totals the answer lists. Returns the chart titles.
 */
export async function verifyEnergyCharts(answer: string, gatewayUrl: string): Promise<string[]> {
  const images = [...answer.matchAll(/!\[([^\]]+)\]\((\S+)\)/g)].map(([, title, link]) => ({ title, url: new URL(link) }));
  expect(images.map((image) => image.title)).toEqual(['Energy use per day', 'Average power by hour of day']);
  const dailyTotals = [...answer.matchAll(/^- (\d{4})-(\d{2})-(\d{2}): (\d+\.\d{3}) kWh$/gm)].map(
    ([, , month, day, kwh]) => `${MONTHS[Number(month) - 1]} ${Number(day)}: ${kwh} kWh`,
  );
  expect(dailyTotals.length).toBeGreaterThanOrEqual(2);

  for (const { title, url } of images) {
    expect(`${url.origin}${url.pathname}`).toMatch(new RegExp(`^${gatewayUrl}/api/v1/artifacts/[0-9a-f-]{36}$`));
    const linked = await fetch(url);
    expect([title, linked.status, linked.headers.get('content-type')]).toEqual([title, 200, 'image/svg+xml']);
    const svg = await linked.text();
    expect(XMLValidator.validate(svg)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);
    expect(parsed.svg).toMatchObject({ xmlns: 'http://www.w3.org/2000/svg', role: 'img' });
    const tooltips = [parsed.svg.rect].flat().flatMap((rect: { title?: unknown }) => (rect.title === undefined ? [] : [String(rect.title)]));
    if (title === 'Energy use per day') expect(tooltips).toEqual(dailyTotals);
    else expect(tooltips).toHaveLength(24);

    const bare = `${url.origin}${url.pathname}`;
    expect((await fetch(bare)).status).toBe(401);
    const withKey = await fetch(bare, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect([withKey.status, await withKey.text()]).toEqual([200, svg]);
  }
  return images.map((image) => image.title);
}

/**
 * The custom analysis's answer to "Does the heat pump run more on cold days?": its report (a script
 * run in a sandbox, the days it compared), its finding, and its chart — a PNG whose link works
 * without a key. (The figures themselves are checked against an independent computation in
 * `custom-analyst.demo-home.spec.ts`.)
 */
export async function verifyCustomAnalysisAnswer(answer: string, gatewayUrl: string): Promise<void> {
  expect(answer).toContain('**Custom Analysis:**');
  expect(answer).toMatch(/a Python script run in the (runsc|bwrap) sandbox \(\d+ ms\)/);
  const days = /Days with both the meter's daily energy and the mean outdoor temperature: (\d+)/.exec(answer);
  expect(Number(days?.[1])).toBeGreaterThanOrEqual(7);
  expect(answer).toMatch(/\*\*Heat Pump Energy uses more on cold days/);
  const image = /!\[Heat Pump Energy against the outdoor temperature\]\((\S+)\)/.exec(answer);
  if (!image) throw new Error(`no chart in the answer:\n${answer}`);
  const url = new URL(image[1]);
  expect(`${url.origin}${url.pathname}`).toMatch(new RegExp(`^${gatewayUrl}/api/v1/artifacts/[0-9a-f-]{36}$`));
  const picture = await fetch(url);
  expect([picture.status, picture.headers.get('content-type')]).toEqual([200, 'image/png']);
  expect(Buffer.from(await picture.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
  expect((await fetch(`${url.origin}${url.pathname}`)).status).toBe(401);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
