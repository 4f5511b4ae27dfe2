import type { ModelUsageGrouping } from '@aether/persistence';
import { z } from 'zod';
import { OpenAiApiException } from '../errors/openai-error';

/** Without `from`, this many days before `to`. */
export const DEFAULT_USAGE_DAYS = 30;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` (midnight UTC) or an ISO 8601 date-time with its offset. */
const instant = z
  .string({ error: 'must be given once, as an ISO 8601 date (YYYY-MM-DD, UTC) or date-time' })
  .refine((text) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(text) && !Number.isNaN(Date.parse(text)), {
    error: 'must be an ISO 8601 date (YYYY-MM-DD, UTC) or date-time with an offset',
  })
  .transform((text) => new Date(text));

const usageQuerySchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  group_by: z.enum(['day', 'model', 'agent'], { error: "must be one of 'day', 'model', 'agent'" }).optional(),
});

export interface UsageQuery {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  groupBy: ModelUsageGrouping;
}

/** Validates `GET /usage` query parameters; bad values are a 400 naming the parameter. */
export function parseUsageQuery(query: Record<string, unknown>, now = new Date()): UsageQuery {
  const parsed = usageQuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = String(issue.path[0] ?? 'query');
    throw OpenAiApiException.invalidRequest(`Invalid value for '${param}': ${issue.message.replace(/^Invalid input: /, '')}.`, param, 'invalid_value');
  }
  const to = parsed.data.to ?? now;
  const from = parsed.data.from ?? new Date(to.getTime() - DEFAULT_USAGE_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    throw OpenAiApiException.invalidRequest("Invalid value for 'from': it must be before 'to'.", 'from', 'invalid_value');
  }
  return { from, to, groupBy: parsed.data.group_by ?? 'day' };
}
