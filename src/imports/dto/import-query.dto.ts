import { HARMS } from '../../common/domain.js';
import {
  EnumField,
  QueryBoolField,
  QueryIntField,
  TextField,
  UuidField,
} from '../../common/validators.js';
import { IMPORT_KINDS, IMPORT_MODES } from '../import-report.js';
import { IMPORT_STATUSES } from '../import-status.js';

export class ImportQueryDto {
  @EnumField(IMPORT_KINDS, { description: 'What the file holds', example: 'victims' })
  kind: string;

  @EnumField(IMPORT_MODES, {
    optional: true,
    description:
      'all-or-nothing (default): one bad row and nothing is written; skip-invalid: the valid rows are imported and every rejected row reported',
  })
  mode?: string;

  @QueryBoolField({ description: 'Check everything, write nothing' })
  dryRun?: boolean;

  @EnumField(HARMS, {
    optional: true,
    description: 'Victims: the harm of rows without a harm column (default killed)',
  })
  harm?: string;

  @EnumField(IMPORT_STATUSES, {
    optional: true,
    description:
      'Workflow status of the rows: draft (default) or submitted. An import never verifies, disputes or retracts: a status column saying so is ignored, with a warning in the report',
  })
  status?: string;

  @UuidField({
    optional: true,
    description: 'Victims: the incident of rows without an incident_id',
  })
  incident?: string;

  @QueryIntField(1, 6, {
    description:
      'Credibility (1–6) of attestations and claims without one (default 6, cannot be judged)',
  })
  credibility?: number;

  @QueryBoolField({
    description:
      'Victims: refuse a row for any field that cannot be read, and the file for an unknown column (the behaviour before 3 December). Default false: a row is refused only when no record can be made of it (no source, no name, no harm); an unreadable optional field is left empty, its published text kept in original_values, with a warning in the report',
  })
  strict?: boolean;

  @QueryIntField(1300, 2100, {
    description:
      'Victims: the year of dates written without one ("۱۲ آبان"): a Solar Hijri year below 1700 (1401), else Gregorian',
  })
  defaultYear?: number;

  @TextField({
    optional: true,
    max: 200,
    description:
      "Victims and locations: the list the file's own ids (an id that is no UUID, or external_id) belong to, so that a corrected version of the list updates the records it made (default `upload`)",
  })
  idScope?: string;

  @QueryBoolField({
    description:
      'Locations: after the places are in, re-place the records whose kept place text now resolves to a more exact place (default true; false leaves that to POST /api/locations/replace)',
  })
  replace?: boolean;

  @QueryBoolField({
    description:
      "Victims: list every row's place in the report (`places.rows`: line, record, outcome, locationId, precision, text), as the record holds it after the import; a dry run lists the same",
  })
  placeRows?: boolean;
}
