/** The public HTTP API, as the interface uses it: one fetch wrapper, errors kept whole. */

export interface FieldError {
  field: string;
  reason: string;
}

export interface ApiErrorBody {
  statusCode: number;
  error?: string;
  message: string;
  code?: string;
  errors?: FieldError[];
  currentVersion?: number;
  current?: unknown;
  allowed?: string[];
  [k: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message || `HTTP ${status}`);
  }
  /** The reasons given for one field (exact name, or a nested name under it). */
  forField(field: string): string[] {
    return (this.body.errors ?? [])
      .filter(
        (e) =>
          e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`),
      )
      .map((e) => e.reason);
  }
}

let token: string | null = null;

export function setToken(t: string | null): void {
  token = t;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export interface RequestOptions {
  method?: string;
  query?: Query;
  body?: unknown;
  /** Raw text body (imports), with its content type. */
  text?: { body: string; type: string };
  /** Send no token even when signed in (probing public routes). */
  anonymous?: boolean;
}

async function send(path: string, opt: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token && !opt.anonymous) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opt.text) {
    headers['Content-Type'] = opt.text.type;
    body = opt.text.body;
  } else if (opt.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opt.body);
  }
  // Nothing read with a token may outlive the session in the browser's cache.
  return fetch(withQuery(path, opt.query), {
    method: opt.method ?? 'GET',
    headers,
    body,
    cache: 'no-store',
  });
}

async function fail(res: Response): Promise<never> {
  let body: ApiErrorBody;
  try {
    body = (await res.json()) as ApiErrorBody;
  } catch {
    body = { statusCode: res.status, message: res.statusText || `HTTP ${res.status}` };
  }
  throw new ApiError(res.status, body);
}

export async function api<T>(path: string, opt: RequestOptions = {}): Promise<T> {
  const res = await send(path, opt);
  if (!res.ok) return fail(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A download (exports): the body as a Blob, with the file name the server suggests. */
export async function download(path: string, query: Query, fallbackName: string): Promise<void> {
  const res = await send(path, { query });
  if (!res.ok) return fail(res);
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(cd)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Does this route answer (2xx)? Used to show panels only when the API has them. */
export async function answers(path: string, opt: RequestOptions = {}): Promise<boolean> {
  try {
    const res = await send(path, opt);
    return res.ok;
  } catch {
    return false;
  }
}

// ---- shapes the interface reads (a subset of the OpenAPI document) ----

export type Role = 'viewer' | 'researcher' | 'reviewer' | 'admin';

export interface Me {
  id: string;
  name: string;
  email: string | null;
  role: Role;
}

export interface DualDate {
  precision: string;
  gregorian: { from: string; to: string; label: string } | null;
  jalali: { from: string; to: string; label: string; labelFa: string } | null;
  original?: string | null;
}

export interface PlaceRef {
  id: string;
  kind: string;
  nameEn: string;
  nameFa: string | null;
}

export interface Location extends PlaceRef {
  parent: PlaceRef | null;
  ancestors?: PlaceRef[];
  lat: number | null;
  lon: number | null;
  variantsEn?: string[];
  variantsFa?: string[];
}

export interface Source {
  id: string;
  kind: string;
  title: string;
  publisher: string | null;
  author: string | null;
  published: DualDate | null;
  reliability: string;
  interest?: string | null;
  interestNote: string | null;
  restricted: boolean;
  url: string | null;
  version: number;
}

export interface Attestation {
  id: string;
  sourceId: string;
  source: { id: string; title: string; publisher: string | null; reliability: string } | null;
  victimId: string | null;
  locator: string | null;
  excerpt: string | null;
  credibility: number;
}

export interface Victim {
  id: string;
  nameFa: string | null;
  nameEn: string | null;
  nameVariants: string[];
  fatherName: string | null;
  gender: string | null;
  age: number | null;
  ageMin: number | null;
  ageMax: number | null;
  ageBand: string | null;
  occupation: string | null;
  harm: string;
  date: DualDate | null;
  dateCalendar: string | null;
  location: (PlaceRef & { ancestors?: PlaceRef[] }) | null;
  placePrecision: string | null;
  placeOriginal: string | null;
  cause: string | null;
  perpetrator: string | null;
  status: string;
  confidence: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  dateMatch?: 'certain' | 'possible';
  nameMatch?: string;
  attestations?: Attestation[];
  /** Restricted: sent to researchers and above only. */
  witnessNames?: string | null;
  familyContact?: string | null;
  internalNotes?: string | null;
}

export interface Page<T> {
  items: T[];
  total?: number;
  nextCursor?: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string; name: string; role?: string } | null;
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
}

export interface BucketKey {
  groupBy: string;
  value: string | null;
  label: string;
  labelFa?: string | null;
  id?: string | null;
  nameEn?: string | null;
  nameFa?: string | null;
}

export interface Bucket {
  key: BucketKey[];
  count: number;
  byConfidence: Record<string, number>;
  sources: { id: string; title: string; publisher: string | null; victims: number }[];
  sourceCount: number;
}

export interface CountsResponse {
  buckets: Bucket[];
  totals: { count: number; sourceCount?: number };
  notes: string[];
  query: { statuses?: string[]; [k: string]: unknown };
}

export interface SourceBrief {
  id: string;
  title: string;
  publisher: string | null;
  reliability: string;
  published: DualDate | null;
}

export interface ClaimOutcome {
  id: string;
  category: string;
  qualifier: string;
  basis: string;
  figures: { low: number | null; best: number | null; high: number | null };
  status: string;
  reason: string;
  role?: string | null;
  source: SourceBrief;
  origin: SourceBrief | null;
}

export interface Bound {
  value: number | null;
  setBy: {
    kind: string;
    qualifier?: string;
    basis?: string;
    source?: SourceBrief;
    origin?: SourceBrief | null;
    [k: string]: unknown;
  } | null;
  note?: string;
}

export interface Reconciliation {
  low: Bound | null;
  high: Bound | null;
  claims: ClaimOutcome[];
  statement: string;
  citations: { sourceId: string; text: string; claimIds: string[] }[];
  notes: string[];
  documented: { total: number };
}

export interface ImportReport {
  dryRun: boolean;
  written: boolean;
  read: number;
  imported: number;
  alreadyPresent: number;
  rejected: number;
  rejects: { line: number; record: number; field: string; rule: string; reason: string }[];
  summary: string[];
}
