/** How a record's date window stands against a query's. */
import { splitIso } from './calendar.js';

export type DateMatch = 'certain' | 'possible' | 'none';

// Sentinels that sort before and after every ISO date, standing for an open end.
const BEFORE_ALL = '0000-00-00';
const AFTER_ALL = '9999-99-99';

/**
 * How a record's date window [recFrom, recTo] stands against a query window [qFrom, qTo].
 * A null end is open. 'certain' when the record lies wholly inside the window, 'possible' when
 * they overlap only in part (a record of "November 2019" against 16 Nov; an undated record
 * against any window), 'none' when disjoint or the window is empty (qFrom after qTo). With no
 * window at all every record is 'certain'.
 */
export function dateMatch(
  recFrom: string | null,
  recTo: string | null,
  qFrom: string | null,
  qTo: string | null,
): DateMatch {
  for (const d of [recFrom, recTo, qFrom, qTo]) if (d != null) splitIso(d);
  const rf = recFrom ?? BEFORE_ALL;
  const rt = recTo ?? AFTER_ALL;
  const qf = qFrom ?? BEFORE_ALL;
  const qt = qTo ?? AFTER_ALL;
  if (qf > qt || rf > qt || rt < qf) return 'none';
  return rf >= qf && rt <= qt ? 'certain' : 'possible';
}
