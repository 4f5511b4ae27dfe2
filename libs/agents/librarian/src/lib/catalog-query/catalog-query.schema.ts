import type { CatalogQuery } from '@aether/core';
import { z } from 'zod';

const text = z.string().trim().min(1);
const limit = z.number().int().min(1).max(1_000).optional();

/** Validates a `CatalogQuery` arriving in `data[CATALOG_REQUEST_KEY]` (from any agent, any transport). */
export const catalogQuerySchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('search_entities'), query: text, domain: text.optional(), area: text.optional(), limit }),
  z.object({ op: z.literal('get_entity_state'), entityId: z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, 'an entity id such as light.kitchen') }),
  z.object({ op: z.literal('list_entities_by_domain'), domain: text, stateFilter: text.optional(), area: text.optional(), limit }),
  z.object({ op: z.literal('get_domain_summary'), domain: text }),
  z.object({ op: z.literal('list_automations') }),
  z.object({ op: z.literal('get_automation_config'), automation: text }),
  z.object({ op: z.literal('catalog_summary') }),
  z.object({ op: z.literal('discover'), domainFilter: text.optional() }),
]) satisfies z.ZodType<CatalogQuery>;

/** The query, or a readable list of what is wrong with it. */
export function parseCatalogQuery(value: unknown): { ok: true; query: CatalogQuery } | { ok: false; problem: string } {
  const parsed = catalogQuerySchema.safeParse(value);
  if (parsed.success) return { ok: true, query: parsed.data };
  const problem = parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'query'}: ${issue.message}`).join('; ');
  return { ok: false, problem };
}
