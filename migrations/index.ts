import { CreateExtensions1764000000000 } from './1764000000000-CreateExtensions.js';
import { CreateDomainTables1764000000001 } from './1764000000001-CreateDomainTables.js';
import { CreateAccountsAndAudit1764000000002 } from './1764000000002-CreateAccountsAndAudit.js';
import { AddLocationNameSearch1764000003100 } from './1764000003100-AddLocationNameSearch.js';
import { AddVictimLocationPeriodIndex1764000004200 } from './1764000004200-AddVictimLocationPeriodIndex.js';
import { AddLocationLevels1764000004500 } from './1764000004500-AddLocationLevels.js';
import { SetVictimsFillfactor1764000004610 } from './1764000004610-SetVictimsFillfactor.js';
import { AddVictimRollups1764000006000 } from './1764000006000-AddVictimRollups.js';
import { AddVictimNameWords1764000005100 } from './1764000005100-AddVictimNameWords.js';
import { AddVictimCity1764000005200 } from './1764000005200-AddVictimCity.js';
import { DeferImportRollups1764000007000 } from './1764000007000-DeferImportRollups.js';
import { AddVictimNameWordStatistics1764000008000 } from './1764000008000-AddVictimNameWordStatistics.js';
import { MergeRollupIndexes1764000009000 } from './1764000009000-MergeRollupIndexes.js';
import { PartialReferenceIndexes1764000009100 } from './1764000009100-PartialReferenceIndexes.js';
import { AddClaimMeaningAndSourceInterest1764000100000 } from './1764000100000-AddClaimMeaningAndSourceInterest.js';
import { RefuseAuditLogTruncate1764000120000 } from './1764000120000-RefuseAuditLogTruncate.js';
import { AddEditorsSinceReview1764000110000 } from './1764000110000-AddEditorsSinceReview.js';
import { CreateDuplicateClusters1764000130000 } from './1764000130000-CreateDuplicateClusters.js';
import { AddDuplicateScanCandidates1764000130100 } from './1764000130100-AddDuplicateScanCandidates.js';
import { RecomputeVictimNameSearch1764000130200 } from './1764000130200-RecomputeVictimNameSearch.js';
import { AddVictimOriginalValues1764000140000 } from './1764000140000-AddVictimOriginalValues.js';
import { CreateVictimExternalIds1764000140001 } from './1764000140001-CreateVictimExternalIds.js';
import { AddVictimPublicConfidence1764000150000 } from './1764000150000-AddVictimPublicConfidence.js';
import { AddVictimFatherName1764000160000 } from './1764000160000-AddVictimFatherName.js';
import { AddDuplicateScanNames1764000160100 } from './1764000160100-AddDuplicateScanNames.js';
import { AllowVillageLocations1764000170000 } from './1764000170000-AllowVillageLocations.js';
import { CreateLocationExternalIds1764000170001 } from './1764000170001-CreateLocationExternalIds.js';
import { CreateVictimNameKeys1764000180000 } from './1764000180000-CreateVictimNameKeys.js';
import { AddAreaRollups1764000200000 } from './1764000200000-AddAreaRollups.js';
import { AddBulkImportWrites1764000210000 } from './1764000210000-AddBulkImportWrites.js';
import { AddChangeNotifications1764000220000 } from './1764000220000-AddChangeNotifications.js';
import { AddDuplicateScanFacts1764000300000 } from './1764000300000-AddDuplicateScanFacts.js';
import { IndexAreaSourceRollupKeys1764000360000 } from './1764000360000-IndexAreaSourceRollupKeys.js';
import { AddStatusFirstRollupIndexes1764000380000 } from './1764000380000-AddStatusFirstRollupIndexes.js';

/** Every migration, in order. Listed explicitly so the same list runs from src and dist. */
export const MIGRATIONS = [
  CreateExtensions1764000000000,
  CreateDomainTables1764000000001,
  CreateAccountsAndAudit1764000000002,
  AddLocationNameSearch1764000003100,
  AddVictimLocationPeriodIndex1764000004200,
  AddLocationLevels1764000004500,
  SetVictimsFillfactor1764000004610,
  AddVictimRollups1764000006000,
  AddVictimNameWords1764000005100,
  AddVictimCity1764000005200,
  DeferImportRollups1764000007000,
  AddVictimNameWordStatistics1764000008000,
  MergeRollupIndexes1764000009000,
  PartialReferenceIndexes1764000009100,
  AddClaimMeaningAndSourceInterest1764000100000,
  AddEditorsSinceReview1764000110000,
  RefuseAuditLogTruncate1764000120000,
  CreateDuplicateClusters1764000130000,
  AddDuplicateScanCandidates1764000130100,
  RecomputeVictimNameSearch1764000130200,
  AddVictimOriginalValues1764000140000,
  CreateVictimExternalIds1764000140001,
  AddVictimPublicConfidence1764000150000,
  AddVictimFatherName1764000160000,
  AddDuplicateScanNames1764000160100,
  AllowVillageLocations1764000170000,
  CreateLocationExternalIds1764000170001,
  CreateVictimNameKeys1764000180000,
  AddAreaRollups1764000200000,
  AddBulkImportWrites1764000210000,
  AddChangeNotifications1764000220000,
  AddDuplicateScanFacts1764000300000,
  IndexAreaSourceRollupKeys1764000360000,
  AddStatusFirstRollupIndexes1764000380000,
];
