// The victim filter moved to src/victim-scope/ (issue 21); this path stays for the duplicates
// scan (src/duplicates/), whose owners import it from there when they next change it.
export {
  buildVictimFilter,
  parseStatuses,
  VictimFilterDto,
} from '../victim-scope/victim-filter.js';
export type { BuiltFilter } from '../victim-scope/victim-filter.js';
