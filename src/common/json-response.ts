import type { Response } from 'express';

/** Bytes of JSON gathered before a write; an answer that fits in one is sent whole. */
const CHUNK = 64 * 1024;
/** Below this depth objects and arrays are written piece by piece; deeper ones whole. */
const MAX_DEPTH = 4;

/**
 * The text of `JSON.stringify(value)`, in pieces: objects and arrays near the top are walked,
 * and each array element (a record, usually small) and anything deeper is stringified whole.
 * Joined, the pieces are exactly what `JSON.stringify` returns (`toJSON`, skipped `undefined`
 * properties, `null` for an `undefined` element), so a large answer never has to exist as one
 * string: a whole country's reconciliation is 14 MB of JSON, 28 MB as a JavaScript string and
 * 14 MB more as the bytes sent.
 */
export function* jsonPieces(value: unknown, depth = 0): Generator<string> {
  if (!walkable(value) || depth >= MAX_DEPTH) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i) yield ',';
      const item: unknown = value[i];
      if (Array.isArray(item)) yield* jsonPieces(item, depth + 1);
      else yield JSON.stringify(item) ?? 'null';
    }
    yield ']';
    return;
  }
  let first = true;
  yield '{';
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const name = `${first ? '' : ','}${JSON.stringify(key)}:`;
    if (walkable(item) && depth + 1 < MAX_DEPTH) {
      yield name;
      yield* jsonPieces(item, depth + 1);
    } else {
      // Skipped like JSON.stringify skips them: undefined, functions, symbols.
      const text = JSON.stringify(item);
      if (text === undefined) continue;
      yield name + text;
    }
    first = false;
  }
  yield '}';
}

/** Plain objects and arrays: what JSON.stringify writes from their own enumerable keys. */
function walkable(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `res.json` for this service (createApp installs it): the same body and headers as express's
 * but, past 64 KB, written in chunks as the client takes them instead of built whole first, and
 * without a Content-Length then. A client that goes away stops the writing.
 */
export function sendJson(res: Response, body: unknown): Response {
  if (body === undefined) return res.send();
  if (!res.get('Content-Type')) res.set('Content-Type', 'application/json; charset=utf-8');
  const pieces = jsonPieces(body);
  let head = '';
  let step = pieces.next();
  while (!step.done && head.length < CHUNK) {
    head += step.value;
    step = pieces.next();
  }
  if (step.done) return res.send(head);
  res.write(head);
  void writeRest(res, step.value, pieces);
  return res;
}

async function writeRest(res: Response, first: string, pieces: Generator<string>): Promise<void> {
  let buffer = first;
  try {
    for (const piece of pieces) {
      buffer += piece;
      if (buffer.length < CHUNK) continue;
      if (res.destroyed) return;
      const ok = res.write(buffer);
      buffer = '';
      if (!ok && !(await drained(res))) return;
    }
    res.end(buffer);
  } catch (err) {
    // The status line has gone: the client sees a cut-off body rather than a wrong one.
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

/** Resolves true when the response can take more, false when the client has gone. */
function drained(res: Response): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
