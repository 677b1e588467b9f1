import { dualDate } from '../common/date-columns.js';
import type { VictimSummaryDto } from './dto/victim-response.dto.js';

/**
 * The columns of a victim `v` and its place `l` that a summary shows, for a page read in one
 * statement and turned into summaries without entities (summaryFromRow). `restricted`: the
 * reader sees restricted fields and the confidence derived from every source; otherwise the
 * restricted fields are not read at all, and `confidence` is the one derived from the sources
 * the reader may see (public_confidence).
 */
export function summaryColumns(restricted: boolean): string {
  return `v.id, v.name_fa, v.name_en, v.name_variants, v.gender, v.age, v.age_min, v.age_max,
          v.age_band, v.occupation, v.father_name, v.harm, v.date_from, v.date_to, v.date_precision,
          v.date_original, v.date_calendar, v.place_precision, v.place_original, v.cause,
          v.perpetrator, v.armed, v.incident_id, v.status,
          ${restricted ? 'v.confidence' : 'v.public_confidence AS confidence'}, v.merged_into,
          v.version, v.created_at, v.updated_at,
          ${restricted ? 'v.witness_names, v.family_contact, v.internal_notes,' : ''}
          l.id AS l_id, l.kind AS l_kind, l.name_en AS l_name_en, l.name_fa AS l_name_fa`;
}

type Row = Record<string, unknown>;
const text = (v: unknown): string | null => (v ?? null) as string | null;

/**
 * A summary from a row of summaryColumns, as toVictimSummary builds it from the entity (same
 * fields, same order): the driver's values are already what the answer holds (dates as
 * yyyy-mm-dd text, integers, arrays), so nothing is hydrated through TypeORM's metadata.
 */
export function summaryFromRow(r: Row, restricted: boolean): VictimSummaryDto {
  const dto: VictimSummaryDto = {
    id: r.id as string,
    nameFa: text(r.name_fa),
    nameEn: text(r.name_en),
    nameVariants: (r.name_variants ?? []) as string[],
    gender: text(r.gender),
    age: (r.age ?? null) as number | null,
    ageMin: (r.age_min ?? null) as number | null,
    ageMax: (r.age_max ?? null) as number | null,
    ageBand: text(r.age_band),
    occupation: text(r.occupation),
    fatherName: text(r.father_name),
    harm: r.harm as string,
    date: dualDate(
      text(r.date_from),
      text(r.date_to),
      text(r.date_precision),
      text(r.date_original),
    ),
    dateCalendar: text(r.date_calendar),
    location:
      r.l_id == null
        ? null
        : {
            id: r.l_id as string,
            kind: r.l_kind as string,
            nameEn: r.l_name_en as string,
            nameFa: text(r.l_name_fa),
          },
    placePrecision: text(r.place_precision),
    placeOriginal: text(r.place_original),
    cause: text(r.cause),
    perpetrator: text(r.perpetrator),
    armed: (r.armed ?? null) as boolean | null,
    incidentId: text(r.incident_id),
    status: r.status as string,
    confidence: r.confidence as string,
    mergedInto: text(r.merged_into),
    version: r.version as number,
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
  };
  if (restricted) {
    dto.witnessNames = text(r.witness_names);
    dto.familyContact = text(r.family_contact);
    dto.internalNotes = text(r.internal_notes);
  }
  return dto;
}
