import type { CheckedAnswer } from './checked-answer';

/**
 * What follows the model's answer so that computed results and the data read reach the user unchanged:
 * - part of the answer withheld (figures no source gives, states the tools contradict, see
 *   `CheckedAnswer`): a note naming them, then the team's report as computed, or else the Home
 *   Assistant data the answer was written from, as the tools returned it;
 * - a report the answer does not already quote in full: the report, verbatim.
 * '' when the answer stands as it is.
 */
export function authoritativeAppendix(answer: CheckedAnswer, reports: readonly string[], readData: readonly string[] = []): string {
  const shown = answer.released;
  const separator = shown.trim() === '' ? '' : shown.endsWith('\n\n') ? '' : shown.endsWith('\n') ? '\n' : '\n\n';
  if (answer.withheld) {
    const figures = answer.unverifiedFigures?.map((figure) => `"${figure}"`).join(', ');
    const states = answer.contradictedStates?.join('; ');
    if (reports.length > 0) {
      const why = [figures && `figures the analysis did not compute (${figures})`, states && `states Home Assistant does not report (${states})`].filter(Boolean).join(' and ');
      return `${separator}**Note:** the rest of this answer was withheld because it gave ${why}. The data science team's report, as computed:\n\n${reports.join('\n\n')}`;
    }
    const why = [figures && `figures that none of the Home Assistant data it read contains (${figures})`, states && `states Home Assistant does not report (${states})`].filter(Boolean).join(' and ');
    const data = readData.length > 0 ? ` What Home Assistant returned:\n\n${readData.join('\n\n')}` : ' Please ask again.';
    return `${separator}**Note:** the rest of this answer was withheld because it gave ${why}.${data}`;
  }
  const quoted = squash(shown);
  const missing = reports.filter((report) => !quoted.includes(squash(report)));
  return missing.length > 0 ? `${separator}${missing.join('\n\n')}` : '';
}

/** Whitespace-insensitive, so a report re-flowed by the model's Markdown still counts as quoted. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
