import { PageQueryDto } from '../../common/pagination.js';
import { UuidField } from '../../common/validators.js';

export class ListAttestationsQueryDto extends PageQueryDto {
  @UuidField({ optional: true, description: 'Attestations of this victim' })
  victimId?: string;

  @UuidField({ optional: true, description: 'Attestations of this incident' })
  incidentId?: string;

  @UuidField({ optional: true, description: 'Attestations made by this source' })
  sourceId?: string;
}
