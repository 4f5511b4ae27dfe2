import type { DashboardPayload } from '@aether/core';

interface Card {
  type: string;
  heading?: string;
  entity?: string;
  entities?: Array<string | { entity: string }>;
  [key: string]: unknown;
}

/** The dashboard in words for the person approving it: its views, each section's cards, and the entities it shows. */
export function describeDashboard(dashboard: DashboardPayload): string {
  const views = (dashboard.config['views'] ?? []) as Array<{ title?: string; sections?: Array<{ cards: Card[] }> }>;
  const entities = new Set<string>();
  let cardCount = 0;
  const lines: string[] = [];
  for (const view of views) {
    lines.push(`View **${view.title ?? dashboard.title}** (sections layout):`);
    for (const section of view.sections ?? []) {
      const [heading, ...cards] = section.cards;
      cardCount += section.cards.length;
      const shown = cards.map((card) => {
        const ids = [card.entity, ...(card.entities ?? []).map((e) => (typeof e === 'string' ? e : e.entity))].filter((id): id is string => typeof id === 'string');
        ids.forEach((id) => entities.add(id));
        return ids.length === 0 ? card.type : `${card.type} (${ids.join(', ')})`;
      });
      lines.push(`- ${heading?.heading ?? 'Section'}: ${shown.join('; ')}`);
    }
  }
  const head = `I designed the **${dashboard.title}** dashboard at \`/${dashboard.urlPath}\`: ${views.length} view${views.length === 1 ? '' : 's'}, ${cardCount} cards, ${entities.size} entit${entities.size === 1 ? 'y' : 'ies'} — only entities your home has and card types Home Assistant ships.`;
  return [head, '', ...lines].join('\n');
}
