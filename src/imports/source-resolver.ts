import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { loadOrigins } from '../attestations/confidence.repository.js';
import type { Actor } from '../common/actor.js';
import { auditCopySql, NO_SOURCE_LINKS } from '../audit/audit-writer.js';
import { SourceEntity } from '../sources/source.entity.js';
import type { ReportBuilder } from './import-report.js';
import type { SourceDraft } from './victim-rows.js';

export interface SourceRef {
  sourceId: string | null;
  url: string | null;
  source: SourceDraft | null;
}

export interface KnownSource {
  id: string;
  reliability: string;
  restricted: boolean;
  /**
   * Where its information comes from after following relays (attestations/confidence.repository.ts):
   * itself, unless it relays others.
   */
  origins: string[];
}

/** Readable title of a source known only by its URL: host and decoded path. */
export function titleFromUrl(url: string): string {
  try {
    const u = new URL(url);
    let path = u.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      // keep it encoded
    }
    const title = `${u.host}${path === '/' ? '' : path}`.replace(/_/g, ' ');
    return title.length > 300 ? `${title.slice(0, 297)}…` : title;
  } catch {
    return url.slice(0, 300);
  }
}

/** Publishers of hosts the shared community lists cite. Grading is left to a researcher. */
const KNOWN_PUBLISHERS: Record<string, string> = {
  'www.iranrights.org': 'Abdorrahman Boroumand Center for Human Rights in Iran',
  'iranrights.org': 'Abdorrahman Boroumand Center for Human Rights in Iran',
  'fa.wikipedia.org': 'Wikipedia (Persian)',
  'en.wikipedia.org': 'Wikipedia (English)',
  'github.com': 'GitHub',
  'www.amnesty.org': 'Amnesty International',
};

export function sourceFromUrl(url: string): SourceDraft {
  let host = '';
  try {
    host = new URL(url).host.toLowerCase();
  } catch {
    // the URL was checked by the row reader; an odd one just gets no publisher
  }
  return {
    id: null,
    kind: 'dataset',
    title: titleFromUrl(url),
    publisher: KNOWN_PUBLISHERS[host] ?? (host || null),
    author: null,
    url,
    archivedUrl: null,
    language: null,
    reliability: 'F',
    interestNote: null,
    restricted: false,
    publishedFrom: null,
    publishedTo: null,
    publishedPrecision: null,
    publishedOriginal: null,
  };
}

/**
 * Sources of an import: found by id or URL (one source per distinct URL: ux_sources_url), or
 * created from the URL or from the details our own export carries. Remembers every answer for
 * the rest of the import, including sources that a dry run only would have created.
 */
export class SourceResolver {
  private readonly byId = new Map<string, KnownSource>();
  private readonly byUrl = new Map<string, KnownSource>();
  private readonly missingIds = new Set<string>();
  private pending: { id: string; draft: SourceDraft }[] = [];

  constructor(
    private readonly m: EntityManager,
    private readonly report: ReportBuilder,
  ) {}

  /** Looks up, in two queries, every id and URL of these refs not seen before. */
  async prefetch(refs: SourceRef[]): Promise<void> {
    const ids = new Set<string>();
    const urls = new Set<string>();
    for (const r of refs) {
      const id = r.sourceId ?? r.source?.id ?? null;
      if (id && !this.byId.has(id) && !this.missingIds.has(id)) ids.add(id);
      const url = r.url ?? r.source?.url ?? null;
      if (url && !this.byUrl.has(url)) urls.add(url);
    }
    if (ids.size) {
      const rows = await this.m.query<
        {
          id: string;
          url: string | null;
          reliability: string;
          restricted: boolean;
        }[]
      >(`SELECT id, url, reliability, restricted FROM sources WHERE id = ANY($1::uuid[])`, [
        [...ids],
      ]);
      for (const r of rows) this.remember(r.id, r.url, r.reliability, r.restricted, true);
      for (const id of ids) if (!this.byId.has(id)) this.missingIds.add(id);
      await this.loadRelayOrigins(rows.map((r) => r.id));
    }
    if (urls.size) {
      const rows = await this.m.query<
        {
          id: string;
          url: string;
          reliability: string;
          restricted: boolean;
        }[]
      >(`SELECT id, url, reliability, restricted FROM sources WHERE url = ANY($1::text[])`, [
        [...urls],
      ]);
      for (const r of rows) this.remember(r.id, r.url, r.reliability, r.restricted, true);
      await this.loadRelayOrigins(rows.map((r) => r.id));
    }
  }

  /** The origins of those of these sources that relay others (an import adds no relays). */
  private async loadRelayOrigins(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const rows = await this.m.query<{ source_id: string }[]>(
      `SELECT DISTINCT source_id FROM source_links WHERE relation = 'relays' AND source_id = ANY($1::uuid[])`,
      [ids],
    );
    const origins = new Map<string, string[]>();
    await loadOrigins(
      this.m,
      rows.map((r) => r.source_id),
      origins,
    );
    for (const [id, o] of origins) this.byId.get(id)!.origins = o;
  }

  known(id: string): KnownSource | undefined {
    return this.byId.get(id);
  }

  private remember(
    id: string,
    url: string | null,
    reliability: string,
    restricted: boolean,
    existing: boolean,
  ): KnownSource {
    const k = this.byId.get(id) ?? { id, reliability, restricted, origins: [id] };
    if (!this.byId.has(id) && existing) this.report.sourcesExisting++;
    this.byId.set(id, k);
    this.missingIds.delete(id);
    if (url) this.byUrl.set(url, k);
    return k;
  }

  /**
   * The source id for a ref, creating (or planning) the source when it is new; null with a
   * reason when it names an unknown id and carries nothing to create it from.
   */
  resolve(r: SourceRef): { id: string } | { problem: string } {
    const id = r.sourceId ?? r.source?.id ?? null;
    const url = r.url ?? r.source?.url ?? null;
    if (id && this.byId.has(id)) return { id };
    if (url && this.byUrl.has(url)) return { id: this.byUrl.get(url)!.id };
    if (id && !r.source) return { problem: `no source with id ${id}` };
    const draft: SourceDraft = r.source ?? sourceFromUrl(url!);
    const newId = id ?? randomUUID();
    this.remember(newId, draft.url ?? url, draft.reliability, draft.restricted, false);
    this.pending.push({ id: newId, draft: { ...draft, url: draft.url ?? url } });
    this.report.sourcesCreated++;
    return { id: newId };
  }

  /** Writes the sources planned since the last flush, with their audit entries. */
  async flush(actor: Actor, importId: string): Promise<void> {
    if (!this.pending.length) return;
    const p = this.pending;
    this.pending = [];
    const col = <K extends keyof SourceDraft>(k: K): SourceDraft[K][] => p.map((x) => x.draft[k]);
    await this.m.query(
      `WITH ins AS (
         INSERT INTO sources (id, kind, title, publisher, author, url, archived_url, language, reliability,
                              interest_note, restricted, published_from, published_to, published_precision,
                              published_original, created_by)
         SELECT t.id, t.kind, t.title, t.publisher, t.author, t.url, t.archived_url, t.language, t.reliability,
                t.interest_note, t.restricted, t.published_from, t.published_to, t.published_precision,
                t.published_original, $16::uuid
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::text[], $11::boolean[], $12::date[], $13::date[],
                       $14::text[], $15::text[])
             AS t(id, kind, title, publisher, author, url, archived_url, language, reliability, interest_note,
                  restricted, published_from, published_to, published_precision, published_original)
         RETURNING *
       )
       INSERT INTO audit_log (actor_id, action, entity, entity_id, after, reason)
       SELECT $16::uuid, 'create', 'sources', ins.id, ${auditCopySql(this.m, SourceEntity, 'ins')} || ${NO_SOURCE_LINKS}, $17 FROM ins`,
      [
        p.map((x) => x.id),
        col('kind'),
        col('title'),
        col('publisher'),
        col('author'),
        col('url'),
        col('archivedUrl'),
        col('language'),
        col('reliability'),
        col('interestNote'),
        col('restricted'),
        col('publishedFrom'),
        col('publishedTo'),
        col('publishedPrecision'),
        col('publishedOriginal'),
        actor.userId,
        `import ${importId}`,
      ],
    );
  }
}
