import {
  AgentError,
  CATALOG_REQUEST_KEY,
  type AgentClient,
  type CallContext,
  type CatalogOp,
  type CatalogQuery,
  type CatalogQueryResult,
} from '@aether/core';

/** The result shape that answers a query of operation `Op` (two list operations share one shape). */
export type CatalogResultOf<Op extends CatalogOp> = Extract<CatalogQueryResult, { op: Op | (Op extends 'search_entities' | 'list_entities_by_domain' ? 'search_entities' | 'list_entities_by_domain' : never) }>;

/** The query of operation `Op`. */
export type CatalogQueryOf<Op extends CatalogOp> = Extract<CatalogQuery, { op: Op }>;

/**
 * A catalog query that failed for a reason other than cancellation (the Librarian is down, rejected
 * the query, or answered without a catalog result). A plain Error on purpose: the Architect's tool
 * node turns it into an error tool result the model reads, instead of failing the whole run.
 */
export class CatalogQueryError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CatalogQueryError';
  }
}

/**
 * Asks the Librarian one catalog query through its `AgentClient` (in-process or A2A) and returns the
 * typed result it sends back in `data[CATALOG_REQUEST_KEY]`. Cancellation stays an `AgentError`
 * ('cancelled') so that it ends the run; every other failure becomes a `CatalogQueryError`.
 */
export async function queryCatalog<Op extends CatalogOp>(
  librarian: AgentClient,
  query: CatalogQueryOf<Op>,
  context: CallContext,
  signal?: AbortSignal,
): Promise<CatalogResultOf<Op>> {
  let data: Record<string, unknown>;
  try {
    ({ data } = await librarian.send(
      { message: `Catalog query: ${query.op}`, history: [], data: { [CATALOG_REQUEST_KEY]: query }, context },
      { signal },
    ));
  } catch (error) {
    if (signal?.aborted || (error instanceof AgentError && error.code === 'cancelled')) {
      throw error instanceof AgentError ? error : new AgentError('cancelled', 'The request was cancelled.', 'architect');
    }
    if (error instanceof AgentError) throw new CatalogQueryError(`The Librarian could not answer (${error.code}): ${error.message}`, error.code);
    throw new CatalogQueryError(`The Librarian could not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = data[CATALOG_REQUEST_KEY];
  if (!isResultFor(result, query.op)) {
    throw new CatalogQueryError(`The Librarian answered the ${query.op} query without a matching catalog result.`, 'internal_error');
  }
  return result as CatalogResultOf<Op>;
}

function isResultFor(value: unknown, op: CatalogOp): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const answered = (value as { op?: unknown }).op;
  if (answered === op) return true;
  const lists = ['search_entities', 'list_entities_by_domain'];
  return lists.includes(op) && lists.includes(answered as string);
}
