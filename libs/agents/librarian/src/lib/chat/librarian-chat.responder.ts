import type { AgentEvent } from '@aether/core';
import { truncate } from '@aether/core';
import type { CatalogStore } from '@aether/persistence';
import type { DiscoveryService } from '../discovery/discovery.service';
import { areaDevicesAnswer, areasByFloor, discoveryAnswer, entityListAnswer, helpAnswer } from './librarian-answers.format';
import { matchArea, matchDomain, matchKind } from './question-matching';

const DISCOVER = /\b(discover|rediscover|refresh|rescan|scan|re-?sync|sync|update the catalog)\b/i;
const COUNT = /\bhow many\b|\bnumber of\b|\bcount\b/i;
const LIST = /\b(list|show|which|what)\b/i;
const LIST_LIMIT = 50;

/**
 * Plain-chat questions to the Librarian, answered deterministically from the catalog: discovery
 * runs, an area's devices, counts and lists. Anything else gets what it can answer.
 */
export class LibrarianChatResponder {
  constructor(
    private readonly store: CatalogStore,
    private readonly discovery: DiscoveryService,
  ) {}

  async *respond(question: string): AsyncGenerator<AgentEvent> {
    if (DISCOVER.test(question)) {
      yield* this.discover();
      return;
    }
    yield status('librarian reading the catalog…');
    await this.discovery.ensureCatalog();
    const [summary, areas] = await Promise.all([this.store.summary(), this.store.listAreas()]);
    const area = matchArea(question, areas);
    const domain = matchDomain(question, Object.keys(summary.domains));
    const kind = domain ? null : matchKind(question);

    if (COUNT.test(question) && (domain || kind)) {
      yield* tokens([await this.countAnswer(domain, kind, area?.area_id, area?.name)]);
      return;
    }
    if (area && (kind === 'device' || !domain)) {
      const devices = await this.store.listDevices({ areaId: area.area_id });
      const inArea = await this.store.queryEntities({ area: area.area_id, limit: 500 });
      const onDevices = new Set(devices.flatMap((d) => d.entities.map((e) => e.entity_id)));
      yield* tokens(areaDevicesAnswer(area, devices, inArea.entities.filter((e) => !onDevices.has(e.entity_id))));
      return;
    }
    if (domain && (LIST.test(question) || area)) {
      const { entities, total } = await this.store.queryEntities({ domain, area: area?.area_id, limit: LIST_LIMIT });
      yield* tokens(entityListAnswer(`${domain} entities${area ? ` in ${area.name}` : ''}`, entities, total));
      return;
    }
    if (kind && LIST.test(question)) {
      yield* tokens(await this.listKind(kind));
      return;
    }
    if (domain) {
      const { entities, total } = await this.store.queryEntities({ domain, limit: LIST_LIMIT });
      yield* tokens(entityListAnswer(`${domain} entities`, entities, total));
      return;
    }
    yield* tokens(helpAnswer(summary));
  }

  private async *discover(): AsyncGenerator<AgentEvent> {
    yield { type: 'tool_start', agent: 'librarian', tool: 'entity_discovery', args: '{}' };
    const session = await this.discovery.discover({ triggeredBy: 'chat' });
    yield {
      type: 'tool_end',
      agent: 'librarian',
      tool: 'entity_discovery',
      result: truncate(`${session.entities_found} entities; +${session.entities.added} ~${session.entities.updated} -${session.entities.removed}`, 200),
    };
    const [summary, areas, floors] = await Promise.all([this.store.summary(), this.store.listAreas(), this.store.listFloors()]);
    yield* tokens(discoveryAnswer(session, summary, areas, floors));
  }

  private async countAnswer(domain: string | null, kind: string | null, areaId: string | undefined, areaName: string | undefined): Promise<string> {
    const where = areaName ? ` in ${areaName}` : '';
    if (domain) {
      const { total } = await this.store.queryEntities({ domain, area: areaId, limit: 1 });
      return `You have **${total}** ${domain} ${total === 1 ? 'entity' : 'entities'}${where}.`;
    }
    const counts = await this.store.counts();
    switch (kind) {
      case 'device': {
        const n = areaId ? (await this.store.listDevices({ areaId })).length : counts.devices;
        return `You have **${n}** ${n === 1 ? 'device' : 'devices'}${where}.`;
      }
      case 'area':
        return `You have **${counts.areas}** ${counts.areas === 1 ? 'area' : 'areas'}.`;
      case 'floor':
        return `You have **${counts.floors}** ${counts.floors === 1 ? 'floor' : 'floors'}.`;
      default: {
        const n = areaId ? (await this.store.queryEntities({ area: areaId, limit: 1 })).total : counts.entities;
        return `You have **${n}** ${n === 1 ? 'entity' : 'entities'}${where}.`;
      }
    }
  }

  private async listKind(kind: string): Promise<string[]> {
    switch (kind) {
      case 'area':
      case 'floor':
        return areasByFloor(await this.store.listAreas(), await this.store.listFloors());
      case 'device': {
        const devices = await this.store.listDevices();
        if (devices.length === 0) return ['No devices found in the catalog.'];
        return [
          `**Devices** (${devices.length}):`,
          ...devices.map((d) => `- ${d.name}${[d.manufacturer, d.model].some(Boolean) ? ` — ${[d.manufacturer, d.model].filter(Boolean).join(' ')}` : ''}${d.area ? ` (${d.area})` : ''}`),
        ];
      }
      default: {
        const summary = await this.store.summary();
        return [`**Entities** (${summary.entity_count}):`, ...Object.entries(summary.domains).map(([d, n]) => `- ${d}: ${n}`)];
      }
    }
  }
}

function status(content: string): AgentEvent {
  return { type: 'status', agent: 'librarian', content };
}

function* tokens(lines: string[]): Generator<AgentEvent> {
  for (const line of lines) yield { type: 'token', agent: 'librarian', content: `${line}\n` };
}
