import { WORKFLOW_STATUSES } from '../../common/domain.js';
import { EnumField, IntField, TextField } from '../../common/validators.js';

export class ChangeStatusDto {
  @EnumField(WORKFLOW_STATUSES, {
    example: 'verified',
    description: 'The status to move to (see GET /api/workflow)',
  })
  to: string;

  @TextField({
    max: 2000,
    example: 'Checked against the Amnesty list and the death certificate',
    description: 'Why: required for every move',
  })
  reason: string;

  @IntField(1, 2_147_483_647, {
    description: 'The version you reviewed; a stale one gets 409',
    example: 1,
  })
  version: number;
}
