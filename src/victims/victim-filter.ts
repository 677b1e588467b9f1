// The victim filter moved to src/victim-scope/ (issue 21); this path stays for the duplicates
// scan (src/duplicates/duplicates.service.ts), whose owners change it there.
export {
  buildVictimFilter,
  parseStatuses,
  VictimFilterDto,
} from '../victim-scope/victim-filter.js';
export type { BuiltFilter } from '../victim-scope/victim-filter.js';
