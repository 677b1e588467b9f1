import { stringify } from 'csv-stringify/sync';

export const EXPORT_FORMATS = ['csv', 'json', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
};

/** Where an export goes: a file, stdout or an HTTP response, written with backpressure. */
export interface Sink {
  write(chunk: string): Promise<void>;
}

export function streamSink(w: NodeJS.WritableStream): Sink {
  return {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        const onError = (e: Error): void => reject(e);
        w.once('error', onError);
        const ok = w.write(chunk);
        const done = (): void => {
          w.off('error', onError);
          resolve();
        };
        if (ok) done();
        else w.once('drain', done);
      }),
  };
}

export type Flat = Record<string, unknown>;

export interface Point {
  lon: number;
  lat: number;
}

/** Writes records one at a time in one format; nothing is held beyond the current batch. */
export interface RecordWriter {
  row(record: Flat): Promise<void>;
  end(): Promise<void>;
}

/** Lists become "a ; b" in a CSV cell, structured values JSON text. */
function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v))
    return v.every((x) => typeof x === 'string') ? v.join(' ; ') : JSON.stringify(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return v as string | number | boolean;
}

/**
 * A UTF-8 byte-order mark: without it a spreadsheet (Excel above all) opens a UTF-8 CSV in the
 * system's code page and every Persian name is garbled. Our imports read it back (csv-parse bom).
 */
export const UTF8_BOM = '\uFEFF';

export function csvWriter(sink: Sink, columns: string[], bom = true): RecordWriter {
  let started = false;
  const header = (): string => (bom ? UTF8_BOM : '') + stringify([columns]);
  return {
    async row(record) {
      const head = started ? '' : header();
      started = true;
      await sink.write(head + stringify([columns.map((c) => cell(record[c]))]));
    },
    async end() {
      if (!started) await sink.write(header());
    },
  };
}

export function jsonWriter(sink: Sink): RecordWriter {
  let n = 0;
  return {
    async row(record) {
      await sink.write(`${n++ === 0 ? '[\n' : ',\n'}${JSON.stringify(record)}`);
    },
    async end() {
      await sink.write(n === 0 ? '[]\n' : '\n]\n');
    },
  };
}

/**
 * A GeoJSON FeatureCollection, streamed: the features, then the records that have no point,
 * under the foreign member `unlocated` (RFC 7946 §6.1), so that none is silently dropped.
 */
export class GeoJsonDoc {
  private features = 0;
  private unlocatedCount = 0;
  private phase: 'features' | 'unlocated' = 'features';

  constructor(
    private readonly sink: Sink,
    private readonly unlocatedNote: string,
  ) {}

  async begin(): Promise<void> {
    await this.sink.write('{"type":"FeatureCollection","features":[');
  }

  async feature(properties: Flat, point: Point): Promise<void> {
    const f = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [point.lon, point.lat] },
      properties,
    };
    await this.sink.write(`${this.features++ === 0 ? '\n' : ',\n'}${JSON.stringify(f)}`);
  }

  async unlocated(item: Flat): Promise<void> {
    if (this.phase === 'features') {
      this.phase = 'unlocated';
      await this.sink.write(
        `\n],"unlocated":{"note":${JSON.stringify(this.unlocatedNote)},"records":[`,
      );
    }
    await this.sink.write(`${this.unlocatedCount++ === 0 ? '\n' : ',\n'}${JSON.stringify(item)}`);
  }

  async end(): Promise<{ features: number; unlocated: number }> {
    if (this.phase === 'features') {
      await this.sink.write(
        `\n],"unlocated":{"note":${JSON.stringify(this.unlocatedNote)},"records":[`,
      );
    }
    await this.sink.write(`\n],"count":${this.unlocatedCount}}}\n`);
    return { features: this.features, unlocated: this.unlocatedCount };
  }
}
