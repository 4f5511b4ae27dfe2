import type { CatalogAreaView } from '@aether/persistence';
import { singular } from '../catalog-query/words';

/** Everyday words for entity domains ("lamps" → light); the catalog's own domain names match too. */
const DOMAIN_SYNONYMS: Record<string, string> = {
  lamp: 'light',
  thermostat: 'climate',
  heating: 'climate',
  blind: 'cover',
  shutter: 'cover',
  curtain: 'cover',
  'media player': 'media_player',
  speaker: 'media_player',
  tv: 'media_player',
  'binary sensor': 'binary_sensor',
  'motion sensor': 'binary_sensor',
  door: 'binary_sensor',
  plug: 'switch',
  vacuum: 'vacuum',
  camera: 'camera',
  person: 'person',
};

/** What a question can ask for besides entity domains. */
export type CatalogKind = 'device' | 'area' | 'floor' | 'entity';
const KIND_WORDS: Record<string, CatalogKind> = { device: 'device', area: 'area', room: 'area', floor: 'floor', entity: 'entity' };

export function normalise(text: string): string {
  return ` ${text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

/** The area the question names (by name, id or alias), longest match first. */
export function matchArea(question: string, areas: CatalogAreaView[]): CatalogAreaView | null {
  const text = normalise(question);
  let best: { area: CatalogAreaView; length: number } | null = null;
  for (const area of areas) {
    for (const candidate of [area.name, area.area_id, ...area.aliases]) {
      const phrase = normalise(candidate).trim();
      if (!phrase) continue;
      const found = text.includes(` ${phrase} `) || text.includes(` ${phrase}s `);
      if (found && (!best || phrase.length > best.length)) best = { area, length: phrase.length };
    }
  }
  return best?.area ?? null;
}

/** The entity domain the question is about, among the catalog's domains. */
export function matchDomain(question: string, domains: string[]): string | null {
  const words = normalise(question).trim().split(' ').map(singular);
  const text = ` ${words.join(' ')} `;
  const phrases: Array<[string, string]> = [
    ...domains.map((d): [string, string] => [d.replace(/_/g, ' '), d]),
    ...Object.entries(DOMAIN_SYNONYMS).filter(([, d]) => domains.includes(d)),
  ].sort(([a], [b]) => b.length - a.length);
  for (const [phrase, domain] of phrases) if (text.includes(` ${phrase} `)) return domain;
  return null;
}

export function matchKind(question: string): CatalogKind | null {
  const words = normalise(question).trim().split(' ').map(singular);
  for (const word of words) if (KIND_WORDS[word]) return KIND_WORDS[word];
  return null;
}
