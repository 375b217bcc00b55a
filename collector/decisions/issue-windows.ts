/**
 * The JQL search for issue activity, split into a few `updated` windows read concurrently. Enhanced search is
 * cursor-paged (each page names the next), so one query is a chain of dependent round trips — with Jira's own
 * per-page search time, the longest chain of a collection. Windows make several shorter chains.
 *
 * Windows are relative (`-Nm`), as the single query was: absolute JQL dates are read in the requesting user's
 * time zone, which the collector does not know. Relative bounds move with the clock while a run pages through them,
 * so each window's older bound reaches `OVERLAP_MINUTES` into the next one and issues are deduplicated by ID: an
 * issue near a boundary is read twice rather than missed. Recent windows are shorter because recently updated
 * issues are denser (an issue's `updated` only moves forward).
 */

export const OVERLAP_MINUTES = 60;

/** The JQL of each window over the last `days` days; the first is the most recent. */
export function issueActivityQueries(days: number, windows = 4): string[] {
  const total = Math.round(days * 24 * 60);
  // Geometric boundaries: the last day/8, then /4, /2, the rest (for 4 windows).
  const bounds: number[] = [];
  for (let i = windows - 1; i >= 1; i--) bounds.push(Math.round(total / 2 ** i));
  bounds.push(total);
  const unique = [...new Set(bounds.filter((b) => b > 0))];
  return unique.map((older, i) => {
    const newer = i === 0 ? 0 : unique[i - 1]!;
    const from = older === total ? total : older + OVERLAP_MINUTES;
    const lower = `updated >= -${from}m`;
    return `${newer === 0 ? lower : `${lower} AND updated < -${newer}m`} ORDER BY updated DESC`;
  });
}
