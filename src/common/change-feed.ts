import { Logger } from '@nestjs/common';
import pg from 'pg';

/** The accepted tokens (TokensService.authenticate), cleared by a revocation or an account change here. */
export const AUTH_CACHE = 'authentications';
/** The resolved `location=` filters (resolveLocationFilter), cleared by a change to places here. */
export const LOCATION_FILTER_CACHE = 'location filters';

/** The channel the triggers of migration 1764000220000 notify, with the table as payload. */
export const CHANGES_CHANNEL = 'casualty_ledger_changes';

/**
 * Changes to the tables behind the per-request lookups (api_tokens, users, locations), as
 * PostgreSQL reports them: statement triggers NOTIFY on commit, whatever wrote the rows (this
 * process, the CLI, psql), and one connection here LISTENs. A cache built on it is used only
 * while the connection is listening; a lost connection empties every cache until it listens
 * again. Only on the PostgreSQL server (the embedded engine is one session, and its lookups do
 * not wait on a network).
 */
export class ChangeFeed {
  private client: pg.Client | null = null;
  private live = false;
  private stopped = false;
  private readonly caches = new Set<FeedCache<unknown>>();
  private readonly logger = new Logger('ChangeFeed');

  constructor(private readonly url: string) {}

  get listening(): boolean {
    return this.live && !this.stopped;
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'casualty-ledger-changes',
    });
    const lost = (why: string): void => {
      if (this.client !== client) return;
      this.client = null;
      this.live = false;
      for (const c of this.caches) c.clear();
      if (this.stopped) return;
      this.logger.warn(`change notifications lost (${why}): caches off, reconnecting`);
      setTimeout(() => void this.start().catch(() => undefined), 1_000).unref();
    };
    client.on('error', (e) => lost(e.message));
    client.on('end', () => lost('connection closed'));
    client.on('notification', (n) => {
      for (const c of this.caches) if (c.tables.has(n.payload ?? '')) c.clear();
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (this.client === client) this.live = true;
    } catch (e) {
      lost(e instanceof Error ? e.message : String(e));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live = false;
    for (const c of this.caches) c.clear();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  register<V>(cache: FeedCache<V>): void {
    this.caches.add(cache);
  }
}

/**
 * Values read from the database, kept until a table they come from changes (or `ttlMs` passes,
 * or the feed stops listening). A value read while a change arrives is not kept: every clear
 * starts a new generation, and a load keeps its value only if none began meanwhile.
 */
export class FeedCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private generation = 0;
  readonly tables: Set<string>;

  constructor(
    private readonly feed: ChangeFeed | null,
    tables: string[],
    private readonly ttlMs: number,
    private readonly max = 1_000,
  ) {
    this.tables = new Set(tables);
    feed?.register(this);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get(key: string): V | undefined {
    if (!this.feed?.listening) return undefined;
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (Date.now() - e.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** The cached value, or `load()`'s, kept when `keep(value)` says so (e.g. not a refusal). */
  async through(
    key: string,
    load: () => Promise<V>,
    keep: (v: V) => boolean = () => true,
  ): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const value = await load();
    if (this.feed?.listening && generation === this.generation && keep(value)) {
      if (this.entries.size >= this.max) this.entries.clear();
      this.entries.set(key, { value, at: Date.now() });
    }
    return value;
  }
}

const feeds = new WeakMap<object, ChangeFeed>();

/** The feed of a data source (the PostgreSQL server only), started by AppModule. */
export function setChangeFeed(ds: object, feed: ChangeFeed): void {
  feeds.set(ds, feed);
}

export function changeFeedOf(ds: object): ChangeFeed | null {
  return feeds.get(ds) ?? null;
}

const caches = new WeakMap<object, Map<string, FeedCache<unknown>>>();

/**
 * The cache `name` of a data source, kept while its change feed listens; null where there is no
 * feed (the embedded engine, the CLI): then every lookup reads the database.
 */
export function feedCache<V>(
  ds: object,
  name: string,
  tables: string[],
  ttlMs: number,
): FeedCache<V> | null {
  const feed = changeFeedOf(ds);
  if (!feed) return null;
  let byName = caches.get(ds);
  if (!byName) caches.set(ds, (byName = new Map<string, FeedCache<unknown>>()));
  let cache = byName.get(name);
  if (!cache) byName.set(name, (cache = new FeedCache<unknown>(feed, tables, ttlMs)));
  return cache as FeedCache<V>;
}

/** Empties the cache `name` of a data source at once (a change made through it). */
export function clearFeedCaches(ds: object, name: string): void {
  caches.get(ds)?.get(name)?.clear();
}
