import type { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../common/actor.js';
import type { PlacePrecision } from '../common/domain.js';
import {
  PlaceMatcher,
  type GazetteerPlace,
  type PlaceMatch,
  type PlaceText,
} from './place-matcher.js';

/** A place as a report names it: enough to tell it apart and to pass its id. */
export interface PlaceBrief {
  id: string;
  kind: string;
  nameEn: string;
  nameFa: string | null;
  /** The place it lies in (the province of a town), to tell two places of one name apart. */
  parent: { id: string; nameEn: string } | null;
}

export interface ReplacedRecord {
  victimId: string;
  /** The place text the record keeps (place_original), as reported. */
  text: string;
  from: { locationId: string | null; precision: string | null };
  to: { locationId: string; nameEn: string; precision: PlacePrecision };
}

/** What `locations replace` did (or, in a dry run, would do). */
export interface ReplaceReport {
  dryRun: boolean;
  written: boolean;
  /** Records with a place text not placed exactly (unresolved, at a parent, or approximate). */
  considered: number;
  /** Records given a more exact place than they had, by the precision they got. */
  replaced: number;
  byPrecision: { exact: number; parent: number; approximate: number };
  /** Verified or disputed records whose text now resolves: left for a reviewer to edit. */
  heldForReview: number;
  /** Records whose text still resolves to nothing, or to nothing better than they have. */
  unchanged: number;
  /** The most frequent texts still unresolved, with the gazetteer's nearest names. */
  stillUnresolved: { text: string; rows: number; suggestions: PlaceBrief[] }[];
  /** Texts naming several unrelated places: the candidates, to pick one by id. */
  ambiguous: { text: string; rows: number; candidates: PlaceBrief[] }[];
  /** The records re-placed (the first RECORDS_LISTED). */
  records: ReplacedRecord[];
  /** The reviewed records held back (the first RECORDS_LISTED). */
  held: ReplacedRecord[];
  summary: string[];
}

const RECORDS_LISTED = 1000;
const TEXTS_LISTED = 20;
/** Records whose place a reviewer has decided on: a re-placing never changes them. */
const REVIEWED = ['verified', 'disputed'];

const RANK: Record<string, number> = { exact: 2, parent: 1, approximate: 1 };

interface Candidate {
  id: string;
  version: number;
  status: string;
  location_id: string | null;
  place_precision: string | null;
  place_original: string;
}

/**
 * The place text a record keeps, as the importer wrote it ("city / city_fa, province"), back
 * into the row's columns: the part after the last comma is the province when it names one.
 */
export function placeTextOf(original: string, places: PlaceMatcher): PlaceText {
  const cut = original.lastIndexOf(', ');
  if (cut > 0) {
    const province = original.slice(cut + 2).trim();
    const head = original.slice(0, cut).trim();
    if (places.isProvinceName(province)) return { city: head, province };
  }
  return { city: original };
}

/** Is `next` a better place than the record has: more exact, or a place inside the one it has? */
function better(
  next: PlaceMatch,
  had: { locationId: string | null; precision: string | null },
  places: PlaceMatcher,
): boolean {
  if (!next.locationId || next.locationId === had.locationId) return false;
  const before = had.locationId ? (RANK[had.precision ?? 'parent'] ?? 1) : 0;
  const after = RANK[next.precision ?? 'parent'] ?? 1;
  if (after > before) return true;
  if (after < before || !had.locationId) return false;
  // As exact as before: better only when it lies inside what the record had (Golshahr in Karaj).
  return places.get(next.locationId)?.path.includes(had.locationId) ?? false;
}

export function placeBrief(p: GazetteerPlace, places: PlaceMatcher): PlaceBrief {
  const parent = p.parentId ? places.get(p.parentId) : undefined;
  return {
    id: p.id,
    kind: p.kind,
    nameEn: p.nameEn,
    nameFa: p.nameFa,
    parent: parent ? { id: parent.id, nameEn: parent.nameEn } : null,
  };
}

/**
 * Re-places the records whose kept place text (place_original) resolves, with the gazetteer as
 * it is now, to a more exact place than they have: each one version up, audited (`update`, the
 * place before and after), its rollups kept by the victims' update trigger. Draft and submitted
 * records only; verified and disputed ones are counted and listed, never changed. Runs on `m`
 * (the caller's transaction); writes whatever `dryRun` says, the caller rolls a dry run back.
 */
export async function replacePlacesIn(
  m: EntityManager,
  actor: Actor,
  reason: string,
): Promise<Omit<ReplaceReport, 'dryRun' | 'written' | 'summary'>> {
  const places = await PlaceMatcher.load(m);
  const rows = await m.query<Candidate[]>(
    `SELECT id, version, status, location_id, place_precision, place_original FROM victims
      WHERE merged_into IS NULL AND status <> 'retracted' AND place_original IS NOT NULL
        AND (location_id IS NULL OR place_precision IS DISTINCT FROM 'exact')
      ORDER BY id`,
  );
  const out: Omit<ReplaceReport, 'dryRun' | 'written' | 'summary'> = {
    considered: rows.length,
    replaced: 0,
    byPrecision: { exact: 0, parent: 0, approximate: 0 },
    heldForReview: 0,
    unchanged: 0,
    stillUnresolved: [],
    ambiguous: [],
    records: [],
    held: [],
  };
  const unresolved = new Map<string, { rows: number; text: PlaceText }>();
  const ambiguous = new Map<string, { rows: number; candidates: GazetteerPlace[] }>();
  const changes: { row: Candidate; to: PlaceMatch }[] = [];
  for (const row of rows) {
    const text = placeTextOf(row.place_original, places);
    const next = places.resolve(text);
    const had = { locationId: row.location_id, precision: row.place_precision };
    if (better(next, had, places)) {
      const rec: ReplacedRecord = {
        victimId: row.id,
        text: row.place_original,
        from: had,
        to: {
          locationId: next.locationId!,
          nameEn: places.get(next.locationId!)!.nameEn,
          precision: next.precision!,
        },
      };
      if (REVIEWED.includes(row.status)) {
        out.heldForReview++;
        if (out.held.length < RECORDS_LISTED) out.held.push(rec);
      } else {
        changes.push({ row, to: next });
        if (out.records.length < RECORDS_LISTED) out.records.push(rec);
      }
      continue;
    }
    out.unchanged++;
    const candidates = places.candidatesFor(text);
    if (candidates.length) {
      const a = ambiguous.get(row.place_original) ?? { rows: 0, candidates };
      a.rows++;
      ambiguous.set(row.place_original, a);
    } else if (!row.location_id) {
      const u = unresolved.get(row.place_original) ?? { rows: 0, text };
      u.rows++;
      unresolved.set(row.place_original, u);
    }
  }

  // One statement for the records and their audit entries; version-checked, so that an edit
  // made since the read above is not overwritten (that record is left as it is).
  for (let i = 0; i < changes.length; i += 1000) {
    const part = changes.slice(i, i + 1000);
    const done = await m.query<{ id: string; place_precision: PlacePrecision }[]>(
      `WITH t AS (SELECT * FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::text[]) AS t(id, version, location_id, place_precision)),
            old AS (SELECT v.* FROM victims v JOIN t ON t.id = v.id AND t.version = v.version FOR UPDATE OF v),
            upd AS (
              UPDATE victims v SET location_id = t.location_id, place_precision = t.place_precision,
                     version = v.version + 1, updated_at = now()
                FROM t, old WHERE v.id = t.id AND old.id = t.id
              RETURNING v.id, v.location_id, v.place_precision, v.version),
            aud AS (
              INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
              SELECT $5::uuid, 'update', 'victims', upd.id,
                     jsonb_build_object('locationId', old.location_id, 'placePrecision', old.place_precision, 'version', old.version),
                     jsonb_build_object('locationId', upd.location_id, 'placePrecision', upd.place_precision, 'version', upd.version),
                     $6 || ': "' || old.place_original || '" now resolves to a place in the gazetteer'
                FROM upd JOIN old ON old.id = upd.id)
       SELECT id, place_precision FROM upd`,
      [
        part.map((c) => c.row.id),
        part.map((c) => c.row.version),
        part.map((c) => c.to.locationId),
        part.map((c) => c.to.precision),
        actor.userId,
        reason,
      ],
    );
    out.replaced += done.length;
    for (const d of done) out.byPrecision[d.place_precision]++;
    if (done.length < part.length) {
      const kept = new Set(done.map((d) => d.id));
      out.records = out.records.filter(
        (r) => kept.has(r.victimId) || !part.some((c) => c.row.id === r.victimId),
      );
      out.unchanged += part.length - done.length;
    }
  }
  out.stillUnresolved = [...unresolved]
    .sort((a, b) => b[1].rows - a[1].rows || a[0].localeCompare(b[0]))
    .slice(0, TEXTS_LISTED)
    .map(([text, u]) => ({
      text,
      rows: u.rows,
      suggestions: places.suggestionsFor(u.text).map((p) => placeBrief(p, places)),
    }));
  out.ambiguous = [...ambiguous]
    .sort((a, b) => b[1].rows - a[1].rows || a[0].localeCompare(b[0]))
    .slice(0, TEXTS_LISTED)
    .map(([text, a]) => ({
      text,
      rows: a.rows,
      candidates: a.candidates.map((p) => placeBrief(p, places)),
    }));
  return out;
}

/** The report in plain lines, for the CLI and the `summary` of the HTTP answer. */
export function summarizeReplace(r: Omit<ReplaceReport, 'summary'>): string[] {
  const verb = r.written ? 're-placed' : 'to re-place';
  const lines = [
    `Re-placing: ${r.considered} records not placed exactly = ${r.replaced} ${verb} (${r.byPrecision.exact} exactly, ${r.byPrecision.parent} at a containing place, ${r.byPrecision.approximate} approximately) + ${r.heldForReview} held for review (verified or disputed) + ${r.unchanged} unchanged`,
  ];
  if (r.dryRun) lines.push('Dry run: nothing was written.');
  if (r.ambiguous.length) {
    lines.push('  Place texts naming several places (pass the id of the one meant):');
    for (const a of r.ambiguous) {
      lines.push(`  ${String(a.rows).padStart(6)}  ${a.text}`);
      for (const c of a.candidates) lines.push(`          ${placeLine(c)}`);
    }
  }
  if (r.stillUnresolved.length) {
    lines.push('  Most frequent place texts still unresolved (add them to the gazetteer):');
    for (const u of r.stillUnresolved)
      lines.push(
        `  ${String(u.rows).padStart(6)}  ${u.text}${u.suggestions.length ? ` (did you mean ${u.suggestions.map((s) => s.nameEn).join(', ')}?)` : ''}`,
      );
  }
  return lines;
}

export function placeLine(c: PlaceBrief): string {
  return `${c.id}  ${c.kind} ${c.nameEn}${c.nameFa ? ` (${c.nameFa})` : ''}${c.parent ? `, in ${c.parent.nameEn}` : ''}`;
}

class RollBack extends Error {}

/** `npm run cli -- locations replace` and POST /api/locations/replace: one transaction. */
export async function replacePlaces(
  ds: DataSource,
  opt: { dryRun?: boolean; actor?: Actor } = {},
): Promise<ReplaceReport> {
  const dryRun = opt.dryRun ?? false;
  let result: Omit<ReplaceReport, 'dryRun' | 'written' | 'summary'> | null = null;
  try {
    await ds.transaction(async (m) => {
      result = await replacePlacesIn(m, opt.actor ?? SYSTEM_ACTOR, 'locations replace');
      if (dryRun) throw new RollBack();
    });
  } catch (e) {
    if (!(e instanceof RollBack)) throw e;
  }
  const r = { ...result!, dryRun, written: !dryRun && result!.replaced > 0 };
  return { ...r, summary: summarizeReplace(r) };
}
