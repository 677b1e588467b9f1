import type { DataSource, EntityManager } from 'typeorm';
import { incidentsVisibleTo } from '../incidents/incident-visibility.js';
import { PUBLIC_ACTOR } from '../common/actor.js';
import type { ResolvedLocation } from '../locations/location-resolver.js';
import { mergedMembers } from '../victim-scope/merged-groups.js';
import { attestedForReader, victimScope } from '../victim-scope/visibility.js';
import {
  begin,
  coordinatesNote,
  dateFields,
  iso,
  pages,
  pathNames,
  pointOf,
  read,
  withoutRestricted,
  writerFor,
  type Ctx,
  type ExportOptions,
  type ExportSummary,
  type Row,
} from './export-common.js';
import { GeoJsonDoc, type Flat, type Sink } from './writers.js';

export const VICTIM_EXPORT_COLUMNS = [
  'id',
  'import_key',
  'name_fa',
  'name_en',
  'name_variants',
  'gender',
  'age',
  'age_min',
  'age_max',
  'age_band',
  'occupation',
  'father_name',
  'harm',
  'cause',
  'perpetrator',
  'armed',
  'date_from',
  'date_to',
  'date_precision',
  'date_calendar',
  'date_original',
  'date_label',
  'date_jalali',
  'date_jalali_fa',
  'location_id',
  'location_name',
  'location_name_fa',
  'location_path',
  'place_precision',
  'place_original',
  'lat',
  'lon',
  'incident_id',
  'status',
  'confidence',
  'source_url',
  'source_ids',
  'attestations',
  'witness_names',
  'family_contact',
  'internal_notes',
  'created_at',
  'updated_at',
] as const;

interface AttestationOut {
  source_id: string;
  source: Flat;
  credibility: number;
  locator: string | null;
  excerpt: string | null;
  asserted_fields: string[];
  primary_evidence: boolean;
}

/**
 * The attestations of each victim and of the records merged into it (a merge keeps them all),
 * each with the source it rests on; restricted sources only for those who may see them.
 */
async function victimAttestations(
  m: EntityManager,
  ids: string[],
  restricted: boolean,
): Promise<Map<string, AttestationOut[]>> {
  const rows = await m.query<Row[]>(
    `WITH RECURSIVE ${mergedMembers('$1')}
     SELECT g.root, a.source_id, a.credibility::int AS credibility, a.locator, a.excerpt, a.asserted_fields,
            a.primary_evidence, s.kind, s.title, s.publisher, s.author, s.url, s.archived_url, s.language,
            s.reliability, s.interest_note, s.restricted, s.published_from, s.published_to,
            s.published_precision, s.published_original
       FROM grp g
       JOIN attestations a ON a.victim_id = g.member
       JOIN sources s ON s.id = a.source_id
      WHERE $2::boolean OR NOT s.restricted
      ORDER BY g.root, a.created_at, a.id`,
    [ids, restricted],
  );
  const out = new Map<string, AttestationOut[]>();
  for (const r of rows) {
    const list = out.get(r.root as string) ?? [];
    if (list.some((a) => a.source_id === r.source_id)) continue;
    list.push({
      source_id: r.source_id as string,
      source: {
        id: r.source_id,
        kind: r.kind,
        title: r.title,
        publisher: r.publisher,
        author: r.author,
        url: r.url,
        archived_url: r.archived_url,
        language: r.language,
        reliability: r.reliability,
        interest_note: r.interest_note,
        restricted: r.restricted,
        published_from: r.published_from,
        published_to: r.published_to,
        published_precision: r.published_precision,
        published_original: r.published_original,
      },
      credibility: r.credibility as number,
      locator: r.locator as string | null,
      excerpt: r.excerpt as string | null,
      asserted_fields: r.asserted_fields as string[],
      primary_evidence: r.primary_evidence as boolean,
    });
    out.set(r.root as string, list);
  }
  return out;
}

function victimRecord(ctx: Ctx, v: Row, atts: AttestationOut[]): Flat {
  const loc = (v.location_id as string | null) ?? null;
  const place = loc ? ctx.places.get(loc) : undefined;
  const c = pointOf(ctx.places, loc);
  const rec: Flat = {
    id: v.id,
    import_key: v.import_key,
    name_fa: v.name_fa,
    name_en: v.name_en,
    name_variants: v.name_variants,
    gender: v.gender,
    age: v.age,
    age_min: v.age_min,
    age_max: v.age_max,
    age_band: v.age_band,
    occupation: v.occupation,
    father_name: v.father_name,
    harm: v.harm,
    cause: v.cause,
    perpetrator: v.perpetrator,
    armed: v.armed,
    date_from: v.date_from,
    date_to: v.date_to,
    date_precision: v.date_precision,
    date_calendar: v.date_calendar,
    date_original: v.date_original,
    ...dateFields('date', v.date_from, v.date_to, v.date_precision, v.date_original),
    location_id: loc,
    location_name: place?.nameEn ?? null,
    location_name_fa: place?.nameFa ?? null,
    location_path: pathNames(ctx.places, loc),
    place_precision: v.place_precision,
    place_original: v.place_original,
    lat: c?.point.lat ?? null,
    lon: c?.point.lon ?? null,
    incident_id: v.incident_id,
    status: v.status,
    confidence: v.confidence,
    source_url: atts.map((a) => a.source.url).filter((u): u is string => typeof u === 'string'),
    source_ids: atts.map((a) => a.source_id),
    attestations: atts,
  };
  if (ctx.restricted) {
    rec.witness_names = v.witness_names;
    rec.family_contact = v.family_contact;
    rec.internal_notes = v.internal_notes;
  }
  rec.created_at = iso(v.created_at);
  rec.updated_at = iso(v.updated_at);
  return rec;
}

/**
 * Victims matching the filters of GET /api/victims, streamed in pages, each with its
 * attestations and their sources (enough for a fresh database to get the same records back).
 * Merged duplicates are not exported; their attestations come with the record they were
 * merged into. Public view: verified records attested by at least one unrestricted source,
 * without restricted fields or sources.
 */
export async function exportVictims(
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
): Promise<ExportSummary> {
  const ctx = await begin(ds, sink, opt, 'victims');
  // The public view is what the public sees, whoever asks for it.
  const viewer = ctx.restricted ? opt.actor : PUBLIC_ACTOR;
  const built = await read(ds, (m) => victimScope(m, opt.filter ?? {}, viewer));
  const where = built.where;
  const params = [...built.params];
  const select = `SELECT v.* FROM victims v`;
  const attach = async (m: EntityManager, rows: Row[]): Promise<void> => {
    const atts = await victimAttestations(
      m,
      rows.map((r) => r.id as string),
      ctx.restricted,
    );
    for (const r of rows) r.__attestations = atts.get(r.id as string) ?? [];
    if (!ctx.restricted) {
      const incidents = await incidentsVisibleTo(
        m,
        PUBLIC_ACTOR,
        rows.map((r) => (r.incident_id as string | null) ?? null),
      );
      for (const r of rows)
        if (r.incident_id && !incidents.has(r.incident_id as string)) r.incident_id = null;
    }
    // The public view's confidence rests on the sources it shows (victims.public_confidence,
    // derived from the sources that are not restricted: confidence.repository.ts).
    if (!ctx.restricted) for (const r of rows) r.confidence = r.public_confidence;
  };
  // A victim known only from restricted sources would reach the public as a record without a
  // source they can see: the public view leaves it out (as the counts do).
  const shown = (r: Row): boolean =>
    attestedForReader(built.seesRestricted, (r.__attestations as AttestationOut[]).length);

  let records = 0;
  if (opt.format !== 'geojson') {
    const w = writerFor(ctx, withoutRestricted(VICTIM_EXPORT_COLUMNS, ctx.restricted));
    for await (const rows of pages(ctx, select, where, params, attach, 'v')) {
      for (const r of rows) {
        if (!shown(r)) continue;
        await w.row(victimRecord(ctx, r, r.__attestations as AttestationOut[]));
        records++;
      }
    }
    await w.end();
    return {
      kind: 'victims',
      format: opt.format,
      records,
      restricted: ctx.restricted,
      ...locationNoteOf(built.location),
    };
  }

  const doc = new GeoJsonDoc(
    sink,
    'Victims with no place, or whose place and its ancestors have no coordinates: listed here, not drawn.',
  );
  await doc.begin();
  const noCoordinates: string[] = [];
  for await (const rows of pages(ctx, select, where, params, attach, 'v')) {
    for (const r of rows) {
      if (!shown(r)) continue;
      records++;
      const c = pointOf(ctx.places, (r.location_id as string | null) ?? null);
      if (!c) continue;
      const rec = victimRecord(ctx, r, r.__attestations as AttestationOut[]);
      delete rec.attestations;
      await doc.feature({ ...rec, ...coordinatesNote(r.location_id as string, c) }, c.point);
    }
  }
  // Second pass, streamed too: the records that could not be drawn.
  for (const id of ctx.places.ids()) if (!ctx.places.coordinatesOf(id)) noCoordinates.push(id);
  params.push(noCoordinates);
  const unlocatedWhere = `${where} AND (v.location_id IS NULL OR v.location_id = ANY($${params.length}::uuid[]))`;
  for await (const rows of pages(ctx, select, unlocatedWhere, params, attach, 'v')) {
    for (const r of rows) {
      if (!shown(r)) continue;
      const loc = (r.location_id as string | null) ?? null;
      await doc.unlocated({
        id: r.id,
        name_fa: r.name_fa,
        name_en: r.name_en,
        place_original: r.place_original,
        location_id: loc,
        location_name: loc ? (ctx.places.get(loc)?.nameEn ?? null) : null,
        reason: loc ? 'the place and its ancestors have no coordinates' : 'no place resolved',
      });
    }
  }
  const done = await doc.end();
  return {
    kind: 'victims',
    format: 'geojson',
    records,
    located: done.features,
    unlocated: done.unlocated,
    restricted: ctx.restricted,
    ...locationNoteOf(built.location),
  };
}

function locationNoteOf(l: ResolvedLocation | null): { locationNote?: string } {
  return l?.resolution ? { locationNote: l.resolution.note } : {};
}
