import type { Type } from '@nestjs/common';
import { SourcesModule } from './sources/sources.module.js';

/** Feature modules, one folder each. */
export const FEATURE_MODULES: Type[] = [SourcesModule];
