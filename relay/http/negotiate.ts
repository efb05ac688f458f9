/** HTTP caching and content-coding rules for the client's files: which precompressed copy to send, ETags, 304s. */

/** The codings the build writes beside each compressible file (`x.js.br`, `x.js.gz`), best first. */
export const CODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

export type Coding = (typeof CODINGS)[number];

/**
 * The codings an `Accept-Encoding` header accepts, in the server's order of preference. A coding listed with
 * `q=0` is refused even when `*` accepts everything else; no header (or only `identity`) means none.
 */
export function acceptedCodings(header: string | undefined): Coding[] {
  if (!header) return [];
  const q = new Map<string, number>();
  for (const item of header.split(',')) {
    const [token = '', ...params] = item.split(';').map((s) => s.trim().toLowerCase());
    if (!token) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(token, Number.isFinite(value) ? value : 0);
  }
  const wildcard = q.get('*') ?? 0;
  return CODINGS.filter((c) => (q.get(c.name) ?? (c.name === 'gzip' ? q.get('x-gzip') : undefined) ?? wildcard) > 0);
}

/** A strong ETag for exactly these bytes (each coding of a file has its own). */
export async function etagOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest.subarray(0, 12)) hex += b.toString(16).padStart(2, '0');
  return `"${hex}"`;
}

/** Whether `If-None-Match` names this ETag (or `*`): the client's copy is current. Compared weakly, as RFC 9110 says. */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
