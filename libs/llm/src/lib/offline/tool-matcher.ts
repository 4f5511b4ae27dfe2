import { effectiveSchema, type OfflineToolSpec } from './bound-tools';
import { keywordStems, stemSimilarity } from './keywords';

/** How much a word counts depending on where the tool mentions it. */
const WEIGHT = { name: 3, description: 2, parameter: 1 } as const;

/**
 * Minimum score for a tool to be chosen: at least one word of the tool's name or description
 * (a parameter mention alone is too weak a signal to act on).
 */
export const TOOL_MATCH_THRESHOLD = 2;

export interface ToolScore {
  spec: OfflineToolSpec;
  /** Sum of the matched words' weights; compared with `TOOL_MATCH_THRESHOLD`. */
  score: number;
  /** The score with widely shared words discounted; orders the candidates. */
  rank: number;
}

/** Stems each tool is described by, with the strongest weight each one appears with. */
function toolVocabulary(spec: OfflineToolSpec): Map<string, number> {
  const vocabulary = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const s of keywordStems(text)) vocabulary.set(s, Math.max(vocabulary.get(s) ?? 0, weight));
  };
  add(spec.name, WEIGHT.name);
  add(spec.description, WEIGHT.description);
  for (const [field, raw] of Object.entries(spec.parameters.properties ?? {})) {
    const schema = effectiveSchema(raw);
    add(field, WEIGHT.parameter);
    add(schema.description ?? '', WEIGHT.parameter);
    for (const value of [...(schema.enum ?? []), ...(schema.items ? (effectiveSchema(schema.items).enum ?? []) : [])]) {
      add(String(value), WEIGHT.parameter);
    }
  }
  return vocabulary;
}

/**
 * Scores every tool against the user's words. Each distinct user word adds the weight of its best
 * match in the tool's vocabulary (exact stem, or half for a shared long prefix). `score` is that
 * sum; `rank` scales each word down when several tools share it (a word every tool mentions does
 * not tell them apart) and orders the candidates. Returns tools best first; ties keep the order the
 * tools were bound in, so the result is stable.
 */
export function scoreTools(userText: string, specs: readonly OfflineToolSpec[]): ToolScore[] {
  const userStems = keywordStems(userText);
  const vocabularies = specs.map(toolVocabulary);
  const matchWeight = (vocabulary: Map<string, number>, userStem: string): number => {
    let best = 0;
    for (const [toolStem, weight] of vocabulary) {
      best = Math.max(best, weight * stemSimilarity(userStem, toolStem));
    }
    return best;
  };

  const scores = specs.map((spec, order) => ({ spec, score: 0, rank: 0, order }));
  for (const userStem of userStems) {
    const weights = vocabularies.map((vocabulary) => matchWeight(vocabulary, userStem));
    const toolsMentioning = weights.filter((w) => w > 0).length;
    if (toolsMentioning === 0) continue;
    const distinctiveness = (specs.length - toolsMentioning + 1) / specs.length;
    weights.forEach((weight, i) => {
      scores[i].score += weight;
      scores[i].rank += weight * distinctiveness;
    });
  }
  return scores
    .sort((a, b) => b.rank - a.rank || b.score - a.score || a.order - b.order)
    .map(({ spec, score, rank }) => ({ spec, score, rank }));
}
