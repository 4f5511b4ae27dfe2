import type { CheckedAnswer } from './checked-answer';

/**
 * What follows the model's answer so that computed results reach the user unchanged:
 * - figures the model got wrong: a note naming them, then the team's report as computed (the
 *   wrong part of the answer was withheld, see `CheckedAnswer`);
 * - a report the answer does not already quote in full: the report, verbatim.
 * '' when the answer stands as it is.
 */
export function authoritativeAppendix(answer: CheckedAnswer, reports: readonly string[]): string {
  const shown = answer.released;
  const separator = shown.trim() === '' ? '' : shown.endsWith('\n\n') ? '' : shown.endsWith('\n') ? '\n' : '\n\n';
  const unverified = answer.unverifiedFigures;
  if (unverified) {
    const figures = unverified.map((figure) => `"${figure}"`).join(', ');
    if (reports.length === 0) {
      return `${separator}**Note:** the rest of this answer was withheld because it gave figures that none of the Home Assistant data it read contains (${figures}). Please ask again.`;
    }
    return `${separator}**Note:** the rest of this answer was withheld because it gave figures the analysis did not compute (${figures}). The data science team's report, as computed:\n\n${reports.join('\n\n')}`;
  }
  const quoted = squash(shown);
  const missing = reports.filter((report) => !quoted.includes(squash(report)));
  return missing.length > 0 ? `${separator}${missing.join('\n\n')}` : '';
}

/** Whitespace-insensitive, so a report re-flowed by the model's Markdown still counts as quoted. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
