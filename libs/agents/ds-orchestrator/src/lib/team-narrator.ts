import { FigureSources, truncate } from '@aether/core';
import type { UtilityModel } from '@aether/llm';

/** Longest report given to the model (characters): a year of 60 meters is long, and the synthesis needs its gist. */
const MAX_REPORT_CHARS = 12_000;

const SYSTEM_PROMPT = `You are the lead of Aether's data science team, writing for the person who lives in the home.
From the team's report, write a synthesis of 3 to 6 sentences: what matters most, how the specialists' findings relate (where they agree, where they conflict), and what to do first.
Use only figures that appear in the report, written as the report writes them; compute nothing new. Plain sentences: no headings, tables or lists.`;

/** What became of a synthesis in words: its text, or why there is none. */
export type Narrative =
  | { status: 'written'; model: string; text: string }
  | { status: 'withheld'; model: string; unverified: string[] }
  | { status: 'failed'; model: string; reason: string }
  | { status: 'no_model' };

/**
 * The team's synthesis in words, on request (`data.synthesis: "llm"`, or a question asking for a
 * summary): one completion from the team's model over the report the code wrote, shown only when
 * every figure in it is one of the report's (`FigureSources`, the Architect's check). The computed
 * synthesis stays the team's answer either way; a model that fails or is absent is said, and the
 * run goes on.
 */
export class TeamNarrator {
  /** No model configured (offline): a requested synthesis is answered with why there is none. */
  static readonly offline = new TeamNarrator(undefined);

  constructor(private readonly model: { complete: UtilityModel['complete']; resolve: (requestedModel?: string) => string } | undefined) {}

  async narrate(question: string, report: string, requestedModel: string | undefined, signal: AbortSignal): Promise<Narrative> {
    if (!this.model) return { status: 'no_model' };
    const model = this.model.resolve(requestedModel);
    let text: string;
    try {
      const answer = await this.model.complete({
        model,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: `Question: ${question}\n\nThe team's report:\n${truncate(report, MAX_REPORT_CHARS)}` },
        ],
        temperature: 0,
        signal,
      });
      text = answer.text.trim();
    } catch (error) {
      signal.throwIfAborted();
      return { status: 'failed', model, reason: error instanceof Error ? error.message : String(error) };
    }
    if (!text) return { status: 'failed', model, reason: 'the model answered with nothing' };
    const unverified = new FigureSources([question, report]).unverified(text);
    return unverified.length > 0 ? { status: 'withheld', model, unverified } : { status: 'written', model, text };
  }
}

/** The report's lines for a narrative. */
export function narrativeLines(narrative: Narrative): string[] {
  switch (narrative.status) {
    case 'written':
      return ['', `**In words** (written by ${narrative.model} from this report; its figures checked against it):`, narrative.text];
    case 'withheld':
      return ['', `**In words:** withheld — ${narrative.model}'s synthesis gave figures the report does not (${narrative.unverified.slice(0, 5).map((f) => `"${f}"`).join(', ')}); the synthesis above is the team's.`];
    case 'failed':
      return ['', `**In words:** ${narrative.model} could not write it (${truncate(narrative.reason, 200)}); the synthesis above is the team's.`];
    case 'no_model':
      return ['', '**In words:** a synthesis in words needs a model, and none is configured (set LLM_BASE_URL and LLM_MODEL); the synthesis above is the team\'s, computed.'];
  }
}

/** A question that asks for the findings summed up in words ("summarize …", "in plain words", "what does it mean"). */
export function asksForNarrative(question: string): boolean {
  return /\b(?:summari[sz]e|summary|sum (?:it |this |that )?up|in (?:plain|simple) (?:words|language|english)|interpret|what does (?:it|this|that) mean)\b/i.test(question);
}
