import { AgentError, type AgentEvent, type AgentName } from '@aether/core';
import type { BaseMessage, ToolMessage } from '@langchain/core/messages';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { LLMResult } from '@langchain/core/outputs';
import { authoritativeAppendix } from './authoritative-appendix';
import { CheckedAnswer } from './checked-answer';
import { EntityStates } from './entity-states';
import { FigureSources } from '@aether/core';
import { ModelRounds } from './model-rounds';
import type { SplitText } from './model-text';

/** Said after an answer the model had to stop at its output limit (`finish_reason: "length"`). */
export const CUT_OFF_NOTE = "*(The model's answer was cut off at its output limit; ask it to continue, or raise LLM_MAX_OUTPUT_TOKENS.)*";

/**
 * Turns one turn of an agent loop — the model's streamed rounds and the tools' results — into the
 * events the user sees: thinking as `thinking`, the answer as `token`s released once their figures
 * check against the sources (see `CheckedAnswer`), then whatever makes computed reports
 * authoritative (see `authoritativeAppendix`). A turn without an answer is an error, never an
 * empty success.
 */
export class AnswerAssembler {
  private readonly sources: FigureSources;
  private readonly states = new EntityStates();
  private readonly answer: CheckedAnswer;
  private readonly rounds = new ModelRounds();
  private readonly reports: string[] = [];
  /** The other tools' results (the catalog's), shown as read when part of the answer is withheld. */
  private readonly readData: string[] = [];
  /** For the loop's callbacks: streamed chunks do not carry finish_reason, the model call's end does. */
  readonly finishReasons = new FinishReasons();

  /**
   * @param sources the texts whose figures the answer may state before any tool result (the
   *   question, the conversation, the prompt's facts)
   * @param reportTools tools whose results are computed reports, shown verbatim
   */
  constructor(
    private readonly agent: AgentName,
    sources: readonly string[],
    private readonly reportTools: ReadonlySet<string>,
    private readonly warn: (message: string) => void,
  ) {
    this.sources = new FigureSources(sources);
    this.answer = new CheckedAnswer(this.sources, this.states);
  }

  toolResult(message: ToolMessage): void {
    this.sources.add(message.text);
    if (message.status === 'error') return;
    this.states.add(message.text);
    if (message.name && this.reportTools.has(message.name)) this.reports.push(message.text);
    else this.readData.push(message.text);
  }

  modelOutput(message: BaseMessage, metadata: Record<string, unknown> | undefined): AgentEvent[] {
    return this.release(this.rounds.accept(message, metadata));
  }

  /** The end of the turn: what is still held, and what computed results add. */
  finish(): AgentEvent[] {
    const events = this.release(this.rounds.end());
    const token = (content: string): AgentEvent => ({ type: 'token', agent: this.agent, content });
    const rest = this.answer.finish();
    if (rest) events.push(token(rest));
    const { unverifiedFigures, contradictedStates } = this.answer;
    if (this.finishReasons.last === 'length' && !this.answer.withheld && this.answer.released.trim()) events.push(token(`\n\n${CUT_OFF_NOTE}`));
    if (unverifiedFigures) this.warn(`Withheld a model answer with figures no tool result gives: ${unverifiedFigures.join(', ')}`);
    if (contradictedStates) this.warn(`Withheld a model answer with states the tools contradict: ${contradictedStates.join('; ')}`);
    const appendix = authoritativeAppendix(this.answer, this.reports, this.readData);
    if (appendix) events.push(token(appendix));
    else if (this.answer.released.trim() === '') {
      throw new AgentError('upstream_error', 'The language model ended its turn without an answer.', this.agent);
    }
    return events;
  }

  private release({ answer, thinking }: SplitText): AgentEvent[] {
    const events: AgentEvent[] = thinking ? [{ type: 'thinking', agent: this.agent, content: thinking }] : [];
    const shown = answer ? this.answer.push(answer) : '';
    if (shown) events.push({ type: 'token', agent: this.agent, content: shown });
    return events;
  }
}

/**
 * The finish reason of the turn's last model call. A handler instance, not a plain object: LangChain
 * converts a plain object into a new handler for every run of the graph, which cost a fifth of the
 * throughput of the load bench.
 */
export class FinishReasons extends BaseCallbackHandler {
  name = 'aether-finish-reasons';
  last: unknown;

  override handleLLMEnd(output: LLMResult): void {
    this.last = output.generations.at(-1)?.at(-1)?.generationInfo?.['finish_reason'];
  }
}
