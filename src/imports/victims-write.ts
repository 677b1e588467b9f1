import type { Confidence } from '../attestations/confidence.js';
import { confidenceOf, refreshConfidence } from '../attestations/confidence.repository.js';
import { AttestationsBulkRepository } from '../attestations/attestations-bulk.repository.js';
import type { BatchAudit } from '../audit/audit-writer.js';
import { timeOrderedId } from '../common/time-ordered-id.js';
import type { Reliability } from '../reconciliation/reconcile.js';
import {
  VictimsBulkRepository,
  type NewVictim,
  type VictimFields,
} from '../victims/victims-bulk.repository.js';
import { importReason, type ImportContext } from './import-run.js';
import { ImportsRepository, type HeldRecord } from './imports.repository.js';
import type { InputRecord } from './record-reader.js';
import type { SourceResolver } from './source-resolver.js';
import type { VictimDraft } from './victim-rows.js';

/**
 * The writes of a victims import, a batch at a time, through the victims' and attestations'
 * repositories (the same tables, triggers and audit writer as the API's writes): new records
 * with their attestations, and records a list made before corrected in place.
 */

export type Attested = { sourceId: string; a: VictimDraft['attestations'][number] };

/** A new record, checked and ready to be inserted. */
export interface Planned {
  rec: InputRecord;
  draft: VictimDraft;
  id: string;
  attestations: Attested[];
  /** Derived before the insert (a new record has no merged records). */
  confidence: Confidence;
  /** The same from its sources that are not restricted (victims.public_confidence). */
  publicConfidence: Confidence;
}

/** A row naming a record this list made before. */
export interface Update {
  rec: InputRecord;
  draft: VictimDraft;
  held: HeldRecord;
}

/** A record's columns from a row as read. */
export function fieldsOf(d: VictimDraft): VictimFields {
  return {
    importKey: d.importKey,
    nameFa: d.nameFa,
    nameEn: d.nameEn,
    nameVariants: d.nameVariants,
    nameSearch: d.nameSearch,
    gender: d.gender,
    age: d.age,
    ageMin: d.ageMin,
    ageMax: d.ageMax,
    ageBand: d.ageBand,
    occupation: d.occupation,
    fatherName: d.fatherName,
    harm: d.harm,
    dateFrom: d.date?.from ?? null,
    dateTo: d.date?.to ?? null,
    datePrecision: d.date?.precision ?? null,
    dateCalendar: d.date?.calendar ?? null,
    dateOriginal: d.date?.original ?? null,
    locationId: d.locationId,
    placePrecision: d.placePrecision,
    placeOriginal: d.placeOriginal,
    cause: d.cause,
    perpetrator: d.perpetrator,
    armed: d.armed,
    witnessNames: d.witnessNames,
    familyContact: d.familyContact,
    internalNotes: d.internalNotes,
    originalValues: d.originalValues,
  };
}

/**
 * The derived confidence of a new victim, from its attestations' grades and their sources'
 * origins (known to the resolver), by the rule refreshConfidence applies, and its public
 * confidence (the same from its sources that are not restricted): the row is inserted with its
 * levels rather than updated after (an update would refresh its rollups a second time).
 */
export function newConfidence(
  atts: Attested[],
  sources: SourceResolver,
): Pick<Planned, 'confidence' | 'publicConfidence'> {
  const origins = new Map<string, string[]>();
  const grades = atts.map((x) => {
    const s = sources.known(x.sourceId)!;
    origins.set(s.id, s.origins);
    return {
      source_id: s.id,
      restricted: s.restricted,
      reliability: s.reliability as Reliability,
      credibility: x.a.credibility,
      primary_evidence: x.a.primaryEvidence,
    };
  });
  return {
    confidence: confidenceOf(grades, origins),
    publicConfidence: confidenceOf(
      grades.filter((g) => !g.restricted),
      origins,
    ),
  };
}

/** Writes one victims import's batches, in its transaction (ctx.m). */
export class VictimWriter {
  private readonly victims = new VictimsBulkRepository();
  private readonly attestations = new AttestationsBulkRepository();
  private readonly imports = new ImportsRepository();
  /** The name words this import has sent (victims-bulk.repository.ts). */
  private readonly seenWords = new Set<string>();

  constructor(
    private readonly ctx: ImportContext,
    private readonly sources: SourceResolver,
    /** The list the file's own ids belong to (idScopeOf). */
    private readonly scope: string,
  ) {}

  /** From now on this transaction derives what the insert triggers would, once per batch. */
  start(): Promise<void> {
    return this.victims.startBulkWrites(this.ctx.m);
  }

  private audit(lines: number[], reason = importReason(this.ctx)): BatchAudit {
    const { ctx } = this;
    return {
      actorId: ctx.actor.userId,
      importId: ctx.report.importId,
      file: ctx.opt.fileName ?? null,
      reason,
      lines,
    };
  }

  /**
   * Inserts the batch's new records, then their attestations, then what the triggers would have
   * derived (name words, rollups), and links them to the list's own ids. The records inserted:
   * a row inserted by a concurrent import since it was checked is left out.
   */
  async insert(planned: Planned[]): Promise<{ done: Planned[]; attestations: number }> {
    const { m } = this.ctx;
    await this.sources.flush(this.ctx.actor, this.ctx.report.importId);
    const inserted = await this.victims.insertMany(
      m,
      planned.map((p): NewVictim => ({
        ...fieldsOf(p.draft),
        id: p.id,
        incidentId: p.draft.incidentId,
        status: p.draft.status,
        confidence: p.confidence,
        publicConfidence: p.publicConfidence,
      })),
      this.audit(planned.map((p) => p.rec.line)),
    );
    const done = planned.filter((p) => inserted.has(p.id));
    const attestations = await this.attest(done);
    // The rollups and name words of the new records, once, now that their attestations are in.
    await this.victims.afterBulkInsert(
      m,
      { ids: done.map((p) => p.id), nameSearch: done.map((p) => p.draft.nameSearch) },
      this.seenWords,
    );
    await this.imports.linkNew(
      m,
      this.scope,
      done
        .filter((p) => p.draft.externalId !== null)
        .map((p) => ({ externalId: p.draft.externalId!, victimId: p.id })),
    );
    return { done, attestations };
  }

  private attest(rows: Pick<Planned, 'id' | 'rec' | 'attestations'>[]): Promise<number> {
    return this.attestations.insertMany(
      this.ctx.m,
      rows.flatMap((r) =>
        r.attestations.map((x) => ({
          id: timeOrderedId(),
          victimId: r.id,
          sourceId: x.sourceId,
          credibility: x.a.credibility,
          locator: x.a.locator,
          excerpt: x.a.excerpt,
          assertedFields: x.a.assertedFields,
          primaryEvidence: x.a.primaryEvidence,
        })),
      ),
      rows.map((r) => r.id),
      this.audit(rows.map((r) => r.rec.line)),
    );
  }

  /**
   * Corrects the records this list made before with their rows: fields set to the row's,
   * version-checked against the version the last import left, the row's new sources attested;
   * `placed` reports each row's place. A row whose record changed meanwhile is rejected.
   */
  async update(
    updates: Update[],
    placed: (rec: InputRecord, d: VictimDraft) => void,
  ): Promise<void> {
    const { ctx, sources } = this;
    const { m, report } = ctx;
    const changed: string[] = [];
    for (const u of updates) {
      const atts: Attested[] = [];
      const issues: { field: string; rule: string; reason: string }[] = [];
      for (const a of u.draft.attestations) {
        const r = sources.resolve(a);
        if ('problem' in r)
          issues.push({ field: 'source_ids', rule: 'an unknown source id', reason: r.problem });
        else if (!atts.some((x) => x.sourceId === r.id)) atts.push({ sourceId: r.id, a });
      }
      if (issues.length) {
        ctx.reject(u.rec, issues);
        continue;
      }
      if (!ctx.writing()) {
        report.updated++;
        placed(u.rec, u.draft);
        continue;
      }
      await sources.flush(ctx.actor, report.importId);
      const version = await this.victims.updateImported(
        m,
        u.held.victim_id,
        u.held.version,
        fieldsOf(u.draft),
        {
          actorId: ctx.actor.userId,
          reason: `${importReason(ctx)}: a corrected row of ${u.draft.externalId}`,
        },
      );
      if (version === null) {
        ctx.reject(u.rec, [
          {
            field: 'external_id',
            rule: 'the record was changed in the ledger since the list was imported',
            reason: `${u.draft.externalId}: victim ${u.held.victim_id} changed during the import; not overwritten`,
          },
        ]);
        continue;
      }
      await this.imports.setVersion(m, this.scope, u.draft.externalId!, version);
      // The row's sources not yet attesting the record are attested now; the others stay.
      const existing = new Set(await this.attestations.sourcesOfVictim(m, u.held.victim_id));
      const added = atts.filter((x) => !existing.has(x.sourceId));
      if (added.length)
        report.attestations += await this.attest([
          { rec: u.rec, id: u.held.victim_id, attestations: added },
        ]);
      changed.push(u.held.victim_id);
      report.writtenIds.push(u.held.victim_id);
      report.updated++;
      placed(u.rec, u.draft);
    }
    if (changed.length) {
      await refreshConfidence(m, changed);
      await this.victims.refreshRollups(m, changed);
    }
  }
}
