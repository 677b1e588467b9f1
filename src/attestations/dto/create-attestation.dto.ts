import { UuidField } from '../../common/validators.js';
import { NewAttestationDto } from './new-attestation.dto.js';

/** Exactly one of victimId and incidentId. */
export class CreateAttestationDto extends NewAttestationDto {
  @UuidField({ optional: true, description: 'The victim attested (or incidentId, never both)' })
  victimId?: string;

  @UuidField({ optional: true, description: 'The incident attested (or victimId, never both)' })
  incidentId?: string;
}
