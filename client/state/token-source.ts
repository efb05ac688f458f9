/**
 * Gets a fresh single-use relay token from the site's own backend before each connection attempt. The
 * backend holds the relay's issue secret and answers like the relay's `POST /auth/token`:
 * `{"token": "…", "expires_in": 300}`. The page never sees the long-lived secret.
 */

export class TokenError extends Error {
  override name = 'TokenError';
}

/** Reads `{token}` from a parsed body without trusting its shape. */
export function tokenFrom(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const token: unknown = Reflect.get(body, 'token');
  return typeof token === 'string' && token !== '' ? token : undefined;
}

export async function fetchIssuedToken(url: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  let res: Response;
  try {
    // Cookies go along: the backend decides who may talk to the relay, as it does for its own pages.
    res = await fetchImpl(url, { method: 'POST', credentials: 'include', cache: 'no-store' });
  } catch (err) {
    throw new TokenError(`the token endpoint is unreachable (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!res.ok) throw new TokenError(`the token endpoint answered HTTP ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new TokenError('the token endpoint did not answer with JSON');
  }
  const token = tokenFrom(body);
  if (!token) throw new TokenError('the token endpoint answered without a "token"');
  return token;
}
