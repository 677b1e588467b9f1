import { HARMS } from '../../common/domain.js';
import { EnumField, QueryBoolField, QueryIntField, UuidField } from '../../common/validators.js';
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
}
