import type { Type } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { ClaimsModule } from './claims/claims.module.js';
import { IncidentsModule } from './incidents/incidents.module.js';
import { CountsModule } from './counts/counts.module.js';
import { LocationsModule } from './locations/locations.module.js';
import { ReconciliationModule } from './reconciliation/reconciliation.module.js';
import { SourcesModule } from './sources/sources.module.js';
import { VictimsModule } from './victims/victims.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { DuplicatesModule } from './duplicates/duplicates.module.js';

/** Feature modules, one folder each. */
export const FEATURE_MODULES: Type[] = [
  SourcesModule,
  AuthModule,
  LocationsModule,
  IncidentsModule,
  ClaimsModule,
  VictimsModule,
  ReconciliationModule,
  CountsModule,
  ImportsModule,
  ExportsModule,
  DuplicatesModule,
];
