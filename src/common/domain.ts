/**
 * The controlled vocabularies of the domain. Each list is mirrored by a CHECK constraint in the
 * migrations, so rows written by an import or by psql obey the same rules as the API.
 */
export const SOURCE_KINDS = [
  'report',
  'news',
  'statement',
  'official',
  'testimony',
  'court',
  'social_media',
  'dataset',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Admiralty / NATO source reliability: A completely reliable … E unreliable, F cannot be judged. */
export const RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITIES)[number];

/** Admiralty / NATO information credibility: 1 confirmed … 5 improbable, 6 cannot be judged. */
export const CREDIBILITY_MIN = 1;
export const CREDIBILITY_MAX = 6;

export const DATE_PRECISIONS = ['day', 'month', 'year', 'range'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

export const CALENDARS = ['gregorian', 'jalali'] as const;
export type CalendarName = (typeof CALENDARS)[number];

export const LOCATION_KINDS = [
  'country',
  'province',
  'county',
  'city',
  'village',
  'district',
  'site',
] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export const COORDINATE_PRECISIONS = ['exact', 'approximate', 'centroid'] as const;

/** How well a record's place is known: as reported, or attached to a parent of what was reported. */
export const PLACE_PRECISIONS = ['exact', 'parent', 'approximate'] as const;
export type PlacePrecision = (typeof PLACE_PRECISIONS)[number];

/** Harm suffered by a victim; also the categories that counts and claims are about. */
export const HARMS = ['killed', 'injured', 'detained', 'disappeared', 'executed'] as const;
export type Harm = (typeof HARMS)[number];

export const GENDERS = ['male', 'female', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

export const AGE_BANDS = ['0-11', '12-17', '18-24', '25-34', '35-44', '45-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const PERPETRATORS = [
  'irgc',
  'basij',
  'police',
  'nopo',
  'security_forces',
  'military',
  'plainclothes',
  'judiciary',
  'prison_authorities',
  'unknown',
  'other',
] as const;
export type Perpetrator = (typeof PERPETRATORS)[number];

export const CAUSES = [
  'gunshot_head',
  'gunshot_neck',
  'gunshot_chest',
  'gunshot_abdomen',
  'gunshot_back',
  'gunshot_limb',
  'gunshot_unspecified',
  'pellets',
  'beating',
  'tear_gas',
  'torture',
  'execution',
  'vehicle',
  'fire',
  'unknown',
  'other',
] as const;
export type Cause = (typeof CAUSES)[number];

export const WORKFLOW_STATUSES = [
  'draft',
  'submitted',
  'verified',
  'disputed',
  'retracted',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export const CONFIDENCES = ['confirmed', 'probable', 'possible', 'unattested'] as const;
export type ConfidenceLevel = (typeof CONFIDENCES)[number];

export const QUALIFIERS = [
  'exact',
  'at_least',
  'more_than',
  'about',
  'at_most',
  'up_to',
  'between',
  'between_or_more',
  'estimates_range',
] as const;
export type Qualifier = (typeof QUALIFIERS)[number];

/**
 * How a publisher arrived at a figure. named_list and verified_cases are counts of individually
 * identified or verified people (a verified minimum is not an estimate); credible_reports and
 * own_network are a publisher's own tallies of reports it judged credible; unspecified when it
 * does not say.
 */
export const CLAIM_BASES = [
  'named_list',
  'verified_cases',
  'credible_reports',
  'own_network',
  'estimate',
  'official',
  'leak',
  'crowdsourced',
  'unspecified',
] as const;
export type ClaimBasis = (typeof CLAIM_BASES)[number];

/**
 * Populations a count claim can be about. Containment (for reconciliation): `all` contains every
 * other; `non_security` (protesters and bystanders) contains protesters, bystanders, children, women.
 */
export const POPULATIONS = [
  'all',
  'non_security',
  'protesters',
  'bystanders',
  'security_forces',
  'children',
  'women',
] as const;
export type Population = (typeof POPULATIONS)[number];

/**
 * A source that has an interest in a figure: a party to the events or to the political conflict
 * about them. A figure whose origin has an interest never sets a bound of a reconciliation alone.
 */
export const SOURCE_INTERESTS = [
  'government',
  'security_forces',
  'armed_group',
  'opposition',
  'victims_organisation',
  'other',
] as const;
export type SourceInterest = (typeof SOURCE_INTERESTS)[number];

export const SOURCE_RELATIONS = ['relays', 'cites'] as const;
export type SourceRelation = (typeof SOURCE_RELATIONS)[number];

export const ROLES = ['viewer', 'researcher', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const INCIDENT_CATEGORIES = [
  'protest',
  'shooting',
  'mass_arrest',
  'raid',
  'execution',
  'funeral',
  'other',
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** SQL literal list for a CHECK constraint: `'a', 'b'`. Only for the constants above. */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}
