import type { PlaceOutcome } from './place-matcher.js';
import {
  placeLine,
  summarizeReplace,
  type PlaceBrief,
  type ReplaceReport,
} from './replace-places.js';

/** The re-placing a locations import runs after its places are in (replace-places.ts). */
export type ReplaceOutcome = Omit<ReplaceReport, 'dryRun' | 'written' | 'summary'>;

export const IMPORT_KINDS = ['victims', 'sources', 'claims', 'locations'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_MODES = ['all-or-nothing', 'skip-invalid'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** One problem with one row. A row with several problems has several entries. */
export interface RowProblem {
  /** Line of the file where the row starts (for an already-parsed JSON body: the record number). */
  line: number;
  /** 1-based number of the record in the file, header not counted. */
  record: number;
  field: string;
  /** A stable label, for counting rejects by reason ("age is not a number"). */
  rule: string;
  /** The full reason, with the value. */
  reason: string;
}

export interface Tally {
  text: string;
  rows: number;
}

export interface PlaceReport {
  /** Resolved to a gazetteer place as reported (a city, or a province when only that was given). */
  exact: number;
  /** A suburb, neighbourhood or unknown text attached to the city or province containing it. */
  parent: number;
  /**
   * A misspelt name taken for the gazetteer's closest one (precision approximate, the text kept
   * in place_original): check them in `topApproximate` ("Zahidan → Zahedan").
   */
  approximate: number;
  /** No place could be resolved: imported with no location, the text kept in place_original. */
  unresolved: number;
  topParent: Tally[];
  topApproximate: Tally[];
  topUnresolved: Tally[];
  /**
   * Rows already present whose text now resolves to a more exact place than their record has:
   * a re-import leaves them as they are (what `rows` and the counts say); `locations replace`
   * re-places them.
   */
  replaceable: number;
  /**
   * The most frequent place texts not placed exactly because they name several unrelated places
   * (two towns called Mahabad), each with the candidates and their ids, to name one by id.
   */
  ambiguous: { text: string; rows: number; candidates: PlaceBrief[] }[];
  /** With placeRows: every row's place as the record holds it after the import. */
  rows?: PlaceRow[];
}

/** One row's place in the report (placeRows). */
export interface PlaceRow {
  line: number;
  record: number;
  outcome: PlaceOutcome;
  locationId: string | null;
  precision: string | null;
  text: string;
}

export interface ImportReport {
  importId: string;
  kind: ImportKind;
  mode: ImportMode;
  dryRun: boolean;
  /** Did the import change the database? False for a dry run or a refused all-or-nothing import. */
  written: boolean;
  /**
   * Every row is accounted for: read = imported + updated + alreadyPresent + rejected. When nothing was
   * written (dry run, refused import), `imported` counts the rows that would have been imported.
   */
  read: number;
  imported: number;
  /** Records a list made before, corrected in this file and updated (see victim_external_ids). */
  updated: number;
  /** Already in the ledger as the row says (unchanged). */
  alreadyPresent: number;
  rejected: number;
  /** Every problem of every rejected row. */
  rejects: RowProblem[];
  rejectedByReason: Tally[];
  /**
   * Imported rows with a field that could not be read (left empty, its text kept in the record's
   * original_values) or published text mapped or not mapped to a vocabulary: one entry per
   * field, the first WARNINGS_LISTED of them; `warnedRows` counts them all.
   */
  warnings: RowProblem[];
  warnedRows: number;
  warningsByReason: Tally[];
  /** Columns the importer does not know, left out, each with the known column nearest to it. */
  unknownColumns: { column: string; nearest: string | null }[];
  places?: PlaceReport;
  /**
   * Locations: the records whose kept place text resolves better with the places imported,
   * re-placed in the same transaction (would be, when nothing was written).
   */
  replaced?: ReplaceOutcome;
  sources: { created: number; existing: number };
  attestations: number;
  durationMs: number;
  rowsPerSecond: number;
  /**
   * Victims: record linkage run right after the import committed, for the records it brought in
   * or updated, against the whole database and among themselves (docs/duplicates.md): the
   * clusters of possible duplicates that hold one of them, by id. Absent for a dry run, a refused
   * import or one that wrote no record; `unavailable` says why it did not run.
   */
  possibleDuplicates?: PossibleDuplicates;
  summary: string[];
}

export type PossibleDuplicates =
  | { clusters: number; records: number; clusterIds: string[]; seconds: number }
  | { unavailable: string };

const TOP = 10;
/** Warnings listed one by one in a report (all are counted by reason). */
export const WARNINGS_LISTED = 1000;

function top(counts: Map<string, number>, n = TOP): Tally[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([text, rows]) => ({ text, rows }));
}

/** Accumulates an import's outcome while rows stream through it. */
export class ReportBuilder {
  read = 0;
  imported = 0;
  updated = 0;
  alreadyPresent = 0;
  readonly rejectedRows = new Set<number>();
  readonly rejects: RowProblem[] = [];
  private readonly ruleRows = new Map<string, Set<number>>();
  readonly warnings: RowProblem[] = [];
  unknownColumns: { column: string; nearest: string | null }[] = [];
  private readonly warnedRowSet = new Set<number>();
  private readonly warnRules = new Map<string, number>();
  readonly places = { exact: 0, parent: 0, approximate: 0, unresolved: 0 };
  private readonly parentTexts = new Map<string, number>();
  private readonly approximateTexts = new Map<string, number>();
  private readonly unresolvedTexts = new Map<string, number>();
  replaced: ReplaceOutcome | undefined;
  replaceable = 0;
  private readonly ambiguousTexts = new Map<string, { rows: number; candidates: PlaceBrief[] }>();
  private placeRows: PlaceRow[] | null = null;
  sourcesCreated = 0;
  sourcesExisting = 0;
  attestations = 0;
  /** The records written (inserted or updated), for the linkage that follows the import. */
  readonly writtenIds: string[] = [];
  private readonly started = Date.now();

  constructor(
    readonly importId: string,
    readonly kind: ImportKind,
    readonly mode: ImportMode,
    readonly dryRun: boolean,
  ) {}

  get rejected(): number {
    return this.rejectedRows.size;
  }

  reject(line: number, record: number, field: string, rule: string, reason: string = rule): void {
    this.rejectedRows.add(record);
    this.rejects.push({ line, record, field, rule, reason });
    const set = this.ruleRows.get(rule) ?? new Set<number>();
    set.add(record);
    this.ruleRows.set(rule, set);
  }

  /** A field of a row that is imported all the same (see ImportReport.warnings). */
  warn(line: number, record: number, field: string, rule: string, reason: string = rule): void {
    this.warnedRowSet.add(record);
    if (this.warnings.length < WARNINGS_LISTED)
      this.warnings.push({ line, record, field, rule, reason });
    this.warnRules.set(rule, (this.warnRules.get(rule) ?? 0) + 1);
  }

  ambiguousPlace(text: string, candidates: PlaceBrief[]): void {
    const a = this.ambiguousTexts.get(text) ?? { rows: 0, candidates };
    a.rows++;
    this.ambiguousTexts.set(text, a);
  }

  placeRow(r: PlaceRow): void {
    (this.placeRows ??= []).push(r);
  }

  place(outcome: PlaceOutcome, text: string, suggestion?: string): void {
    this.places[outcome]++;
    const map =
      outcome === 'parent'
        ? this.parentTexts
        : outcome === 'unresolved'
          ? this.unresolvedTexts
          : outcome === 'approximate'
            ? this.approximateTexts
            : null;
    const key = outcome === 'approximate' && suggestion ? `${text} → ${suggestion}` : text;
    if (map && key) map.set(key, (map.get(key) ?? 0) + 1);
  }

  elapsedMs(): number {
    return Date.now() - this.started;
  }

  build(written: boolean, withPlaces: boolean): ImportReport {
    const durationMs = this.elapsedMs();
    const report: ImportReport = {
      importId: this.importId,
      kind: this.kind,
      mode: this.mode,
      dryRun: this.dryRun,
      written,
      read: this.read,
      imported: this.imported,
      updated: this.updated,
      alreadyPresent: this.alreadyPresent,
      rejected: this.rejected,
      rejects: [...this.rejects].sort((a, b) => a.record - b.record),
      rejectedByReason: [...this.ruleRows]
        .map(([text, rows]) => ({ text, rows: rows.size }))
        .sort((a, b) => b.rows - a.rows || a.text.localeCompare(b.text)),
      warnings: this.warnings,
      warnedRows: this.warnedRowSet.size,
      warningsByReason: top(this.warnRules, Infinity),
      unknownColumns: this.unknownColumns,
      sources: { created: this.sourcesCreated, existing: this.sourcesExisting },
      attestations: this.attestations,
      durationMs,
      rowsPerSecond: durationMs > 0 ? Math.round((this.read * 1000) / durationMs) : this.read,
      summary: [],
    };
    if (this.replaced) report.replaced = this.replaced;
    if (withPlaces) {
      report.places = {
        ...this.places,
        topParent: top(this.parentTexts),
        topApproximate: top(this.approximateTexts),
        topUnresolved: top(this.unresolvedTexts),
        replaceable: this.replaceable,
        ambiguous: [...this.ambiguousTexts]
          .sort((a, b) => b[1].rows - a[1].rows || a[0].localeCompare(b[0]))
          .slice(0, TOP)
          .map(([text, a]) => ({ text, ...a })),
        ...(this.placeRows
          ? { rows: [...this.placeRows].sort((a, b) => a.record - b.record) }
          : {}),
      };
    }
    report.summary = summarize(report);
    // For the linkage that follows the import, never in the answer.
    Object.defineProperty(report, 'writtenIds', {
      value: this.writtenIds,
      enumerable: false,
      configurable: true,
    });
    return report;
  }
}

/** The report in plain lines, for the CLI and for the `summary` field of the HTTP answer. */
export function summarize(r: ImportReport): string[] {
  const verb = r.written ? 'imported' : r.dryRun ? 'to import' : 'valid, not imported';
  const lines = [
    r.updated
      ? `${r.read} rows read = ${r.imported} ${verb} + ${r.updated} updated${r.written ? '' : ' (would be)'} + ${r.alreadyPresent} unchanged + ${r.rejected} rejected`
      : `${r.read} rows read = ${r.imported} ${verb} + ${r.alreadyPresent} already present + ${r.rejected} rejected`,
  ];
  if (r.dryRun) lines.push('Dry run: nothing was written.');
  else if (!r.written && r.rejected > 0) {
    lines.push(
      `Nothing was written: an all-or-nothing import refuses the whole file when any row is rejected. ` +
        `Fix the ${r.rejected} rejected row(s), or import with skip-invalid.`,
    );
  }
  if (r.rejectedByReason.length) {
    lines.push('Rejected rows by reason (a row may have several):');
    for (const t of r.rejectedByReason) lines.push(`  ${String(t.rows).padStart(6)}  ${t.text}`);
  }
  if (r.unknownColumns.length) {
    lines.push(
      `Columns not read (unknown): ${r.unknownColumns
        .map((c) => (c.nearest ? `${c.column} (did you mean ${c.nearest}?)` : c.column))
        .join(', ')}`,
    );
  }
  if (r.warnedRows) {
    lines.push(
      `${r.warnedRows} imported row(s) with warnings (a field left empty or mapped, its published text kept in original_values):`,
    );
    for (const t of r.warningsByReason) lines.push(`  ${String(t.rows).padStart(6)}  ${t.text}`);
  }
  if (r.places) {
    const p = r.places;
    lines.push(
      `Places: ${p.exact} resolved exactly, ${p.parent} attached to a containing city or province, ` +
        (p.approximate ? `${p.approximate} taken for the closest name (approximate), ` : '') +
        `${p.unresolved} unresolved`,
    );
    if (p.replaceable)
      lines.push(
        `  ${p.replaceable} row(s) already present resolve to a more exact place now than their record has: run \`npm run cli -- locations replace\` (POST /api/locations/replace) to re-place them`,
      );
    if (p.ambiguous.length) {
      lines.push(
        '  Place names naming several places (give the id of the one meant in a location column):',
      );
      for (const a of p.ambiguous) {
        lines.push(`  ${String(a.rows).padStart(6)}  ${a.text}`);
        for (const c of a.candidates) lines.push(`          ${placeLine(c)}`);
      }
    }
    if (p.topApproximate.length) {
      lines.push('  Misspelt places taken for the closest name (check them):');
      for (const t of p.topApproximate) lines.push(`  ${String(t.rows).padStart(6)}  ${t.text}`);
    }
    if (p.topParent.length) {
      lines.push(
        '  Most frequent places attached to a parent (add them to the gazetteer to place them exactly):',
      );
      for (const t of p.topParent) lines.push(`  ${String(t.rows).padStart(6)}  ${t.text}`);
    }
    if (p.topUnresolved.length) {
      lines.push('  Most frequent unresolved places:');
      for (const t of p.topUnresolved) lines.push(`  ${String(t.rows).padStart(6)}  ${t.text}`);
    }
  }
  if (r.replaced)
    lines.push(...summarizeReplace({ ...r.replaced, dryRun: false, written: r.written }));
  const would = r.written ? '' : ' (would be)';
  if (r.kind !== 'locations')
    lines.push(
      `Sources: ${r.sources.created} new${would}, ${r.sources.existing} already known; attestations: ${r.attestations}${would}`,
    );
  lines.push(`${(r.durationMs / 1000).toFixed(1)} s, ${r.rowsPerSecond} rows/s`);
  const d = r.possibleDuplicates;
  if (d && 'unavailable' in d) lines.push(`Possible duplicates: not looked for (${d.unavailable})`);
  else if (d)
    lines.push(
      d.clusters
        ? `Possible duplicates: ${d.clusters} cluster(s) of ${d.records} records hold records of this import (GET /api/duplicates; clusters ${d.clusterIds.slice(0, 10).join(', ')}${d.clusterIds.length > 10 ? ', …' : ''})`
        : 'Possible duplicates: none found for the records of this import',
    );
  return lines;
}
