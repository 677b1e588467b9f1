import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  CALENDARS,
  CONFIDENCES,
  CREDIBILITY_MAX,
  CREDIBILITY_MIN,
  HARMS,
  PERPETRATORS,
  POPULATIONS,
  RELIABILITIES,
  WORKFLOW_STATUSES,
} from '../../common/domain.js';
import { EnumField, UuidField } from '../../common/validators.js';
import { DEFAULT_DOCUMENTED_RULE, DOCUMENTED_RULES } from '../../victim-scope/documented.js';

export const RECONCILIATION_DEFAULTS = {
  category: 'killed',
  population: 'all',
  // A bound rests on a source at least fairly reliable and a figure at least possibly true:
  // D–F sources and information graded 4–6 are listed, not used (docs/reconciliation.md).
  minReliability: 'C',
  minCredibility: 3,
  minConfidence: 'unattested',
} as const;

/** A credibility threshold from a query string, with a message that says what is allowed. */
export function CredibilityThreshold(description: string): PropertyDecorator {
  const message = `$property must be a whole number from ${CREDIBILITY_MIN} (confirmed) to ${CREDIBILITY_MAX} (cannot be judged)`;
  return applyDecorators(
    ApiPropertyOptional({
      type: Number,
      minimum: CREDIBILITY_MIN,
      maximum: CREDIBILITY_MAX,
      description,
      example: 3,
    }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value,
    ),
    IsOptional(),
    IsInt({ message }),
    Min(CREDIBILITY_MIN, { message }),
    Max(CREDIBILITY_MAX, { message }),
  );
}

export class ReconciliationQueryDto {
  @EnumField(HARMS, {
    optional: true,
    description: `What is counted: ${HARMS.join(', ')}. Default ${RECONCILIATION_DEFAULTS.category} (the question the ledger was founded on).`,
    example: 'killed',
  })
  category?: string;

  @ApiPropertyOptional({
    description:
      'A place id or any English or Persian name or variant; includes everything below it. Default: the whole gazetteer (its root when it has one, e.g. Iran).',
    example: 'Mahshahr',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({
    description:
      'Start of the window (inclusive): ISO, partial (2019-11) or Solar Hijri with its calendar (1398-08-25 SH). Default: none. With neither from nor to, time is not compared: each figure counts for the period it states.',
    example: '2019-11-16',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  from?: string;

  @ApiPropertyOptional({
    description:
      'End of the window (inclusive; a month or year means its last day). Default: none.',
    example: '2019-11-19',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  to?: string;

  @EnumField(CALENDARS, {
    optional: true,
    description: 'Calendar of from/to written as bare digits. Default gregorian.',
  })
  calendar?: string;

  @UuidField({
    optional: true,
    description:
      'Only this incident. Default: none, and then incidents are not compared: each figure counts for the incident it names.',
  })
  incident?: string;

  @EnumField(POPULATIONS, {
    optional: true,
    description:
      'Who is counted. Default all. non_security = protesters and bystanders; children and women are within it. Documented victims are counted for all, children (age under 18) and women (gender female); victim records do not say who was a protester, a bystander or a member of the security forces.',
  })
  population?: string;

  @EnumField(PERPETRATORS, {
    optional: true,
    description:
      'Harm done by this perpetrator only (security_forces includes irgc, basij, police, nopo, military and plainclothes). Default: by anyone; a claim with no perpetrator counts harm by anyone.',
  })
  perpetrator?: string;

  @EnumField(RELIABILITIES, {
    optional: true,
    description:
      'Least reliability (A best … E, then F cannot be judged) of the document carrying a claim. Default C: figures carried by sources graded D (not usually reliable), E (unreliable) or F (cannot be judged) are listed as below_grade and set no bound. minReliability=F accepts every claim.',
  })
  minReliability?: string;

  @CredibilityThreshold(
    'Least credibility (1 best … 5, then 6 cannot be judged) of a claim. Default 3 (possibly true): figures graded 4 (doubtful), 5 or 6 are listed as below_grade and set no bound. minCredibility=6 accepts every claim.',
  )
  minCredibility?: number;

  @EnumField(CONFIDENCES, {
    optional: true,
    description:
      'Least derived confidence of a documented victim (confirmed > probable > possible > unattested). Default unattested: every victim.',
  })
  minConfidence?: string;

  @ApiPropertyOptional({
    description: `Workflow statuses of victims and claims that count, comma-separated (${WORKFLOW_STATUSES.join(', ')}). Default: every status but retracted; claims a reviewer marked disputed are listed as disputed and set no bound unless disputed is named here. status=verified counts verified records and claims only.`,
    example: 'verified',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  status?: string;

  @EnumField(DOCUMENTED_RULES, {
    optional: true,
    description: `Which records the documented count counts. ${DEFAULT_DOCUMENTED_RULE} (the default): distinct people whose records are verified; records awaiting review (draft, submitted) and disputed ones are reported beside it (documented.awaitingReview, documented.disputed). all: every record of the included statuses. Either way merged duplicates and each unresolved cluster of likely duplicates count once.`,
    example: 'verified',
  })
  documented?: string;
}
