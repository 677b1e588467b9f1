import { api } from './api';

/**
 * The enums the API accepts, read from its OpenAPI document at run time, so that a value the
 * API adds (a source's `interest`, say) appears here without a new build of the interface.
 */
interface OpenApiDoc {
  components?: { schemas?: Record<string, { properties?: Record<string, SchemaProp> }> };
  paths?: Record<string, Record<string, { parameters?: { name: string; schema?: SchemaProp }[] }>>;
}
interface SchemaProp {
  enum?: string[];
  items?: SchemaProp;
}

let doc: OpenApiDoc | null = null;
let loading: Promise<OpenApiDoc> | null = null;

export async function loadSchema(): Promise<void> {
  loading ??= api<OpenApiDoc>('/api/docs-json', { anonymous: true }).then((d) => (doc = d));
  await loading;
}

/** Enum of a DTO property (`CreateSourceDto`, `interest`); [] when the API has no such field. */
export function dtoEnum(dto: string, prop: string): string[] {
  const p = doc?.components?.schemas?.[dto]?.properties?.[prop];
  return p?.enum ?? p?.items?.enum ?? [];
}

/** Does the DTO have this property at all? */
export function dtoHas(dto: string, prop: string): boolean {
  return Boolean(doc?.components?.schemas?.[dto]?.properties?.[prop]);
}

/** Enum of a query parameter of a route (`/api/counts`, `category`), whatever its method. */
export function paramEnum(path: string, name: string): string[] {
  for (const op of Object.values(doc?.paths?.[path] ?? {})) {
    const p = op.parameters?.find((x) => x.name === name);
    if (p) return p.schema?.enum ?? p.schema?.items?.enum ?? [];
  }
  return [];
}
