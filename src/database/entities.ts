import { AttestationEntity } from '../attestations/attestation.entity.js';
import { AuditEntryEntity } from '../audit/audit-entry.entity.js';
import { ClaimEntity } from '../claims/claim.entity.js';
import {
  DuplicateClusterEntity,
  DuplicateDecisionEntity,
  DuplicateMemberEntity,
  DuplicatePairEntity,
} from '../duplicates/duplicate.entities.js';
import { VictimExternalIdEntity } from '../imports/victim-external-id.entity.js';
import { LocationExternalIdEntity } from '../locations/location-external-id.entity.js';
import { IncidentEntity } from '../incidents/incident.entity.js';
import { LocationEntity } from '../locations/location.entity.js';
import { SourceLinkEntity } from '../sources/source-link.entity.js';
import { SourceEntity } from '../sources/source.entity.js';
import { ApiTokenEntity } from '../users/api-token.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { VictimEntity } from '../victims/victim.entity.js';

export const ENTITIES = [
  SourceEntity,
  SourceLinkEntity,
  LocationEntity,
  IncidentEntity,
  VictimEntity,
  VictimExternalIdEntity,
  LocationExternalIdEntity,
  AttestationEntity,
  ClaimEntity,
  UserEntity,
  ApiTokenEntity,
  AuditEntryEntity,
  DuplicateClusterEntity,
  DuplicateMemberEntity,
  DuplicatePairEntity,
  DuplicateDecisionEntity,
];
