import http from 'node:http';

export interface HttpResult {
  status: number;
  body: Buffer;
}

/** Keep-alive connections, at most as many as the concurrency asks for. */
export function agentFor(concurrency: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
}

/**
 * One request to the local service, the whole body read (a client that stopped at the headers
 * would flatter the service). Only 127.0.0.1 is ever asked.
 */
export function request(
  url: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    agent?: http.Agent;
  },
): Promise<HttpResult> {
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1')
    throw new Error(`the benchmark only talks to 127.0.0.1, not ${u.hostname}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? 'GET',
        headers: {
          ...(opts.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(opts.body)) }
            : {}),
          ...opts.headers,
        },
        agent: opts.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(600_000, () =>
      req.destroy(new Error(`no answer from ${u.pathname} in 10 minutes`)),
    );
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export async function getJson<T>(
  url: string,
  headers: Record<string, string>,
  agent?: http.Agent,
): Promise<{ status: number; body: T }> {
  const r = await request(url, { headers, agent });
  return { status: r.status, body: JSON.parse(r.body.toString('utf8')) as T };
}

/** A query string from parameters, leaving out undefined ones. */
export function qs(params: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
