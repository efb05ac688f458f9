/** Serves the built client from a directory through a runtime-provided file reader. */

import type { HttpResponse } from '../core/http.ts';
import { acceptedCodings, etagOf, notModified, type Coding } from './negotiate.ts';

/** Reads a file below the static root; the path is already normalized and relative. Files whose real path leaves the root are not read. */
export interface StaticFiles {
  read(relativePath: string): Promise<Uint8Array<ArrayBuffer> | undefined>;
  /** When the file was last written (ms since the epoch), or undefined when there is none (same checks as `read`). */
  modified(relativePath: string): Promise<number | undefined>;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json',
  png: 'image/png',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
  map: 'application/json; charset=utf-8',
  woff2: 'font/woff2',
};

/**
 * The policy the relay serves the client with: scripts, styles and connections only from this origin
 * (the relay itself, ws/wss included); images may also be data: and blob: URLs (attachments, and
 * data-URI images in sanitized markdown). No inline script, no plugins, no framing.
 * Trusted Types: DOM sinks take only values from three named policies — Lit's template parser
 * ("lit-html"), the markdown sanitizer ("dompurify") and the service worker URL ("parley-sw").
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "font-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html dompurify parley-sw',
].join('; ');

/**
 * The diagram frame (client/diagram-frame.html, where mermaid lays diagrams out) has a policy of its own: mermaid
 * writes `<style>` elements and style attributes and sets innerHTML, so styles may be inline and Trusted Types
 * are not required there. Scripts stay 'self' only (no inline script, no eval), nothing may be fetched but the
 * app's own files, and only the app may frame it. Its SVG reaches the app as an `<img>`, which runs nothing.
 */
export const DIAGRAM_FRAME_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** The policy for an HTML file: the diagram frame's, or the app's. */
export const policyFor = (file: string): string =>
  /(?:^|\/)diagram-frame\.html$/.test(file) ? DIAGRAM_FRAME_POLICY : CONTENT_SECURITY_POLICY;

/**
 * Vite names built files `assets/<name>-<hash>.<ext>`: they never change, so they may be cached forever.
 * Everything else (index.html, sw.js, the manifest, icons) is revalidated on every use, by its ETag.
 */
const HASHED = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** What a request says about the copy it wants: its method and the headers that choose a representation. */
export interface StaticRequest {
  method: string;
  header(name: string): string | undefined;
}

/** Turns a URL path into a safe relative file path, or undefined for anything that tries to escape. */
export function safePath(urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..' || p.startsWith('.'))) return undefined;
  return parts.length === 0 ? 'index.html' : parts.join('/');
}

/**
 * True when `realPath` (symlinks resolved) lies in `realRoot`: `safePath` stops `..` in the URL,
 * this stops a symlink inside the root from pointing out of it. Each adapter's reader applies it.
 */
export function insideRoot(realRoot: string, realPath: string, sep = '/'): boolean {
  const root = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  return realPath.startsWith(root);
}

export async function serveStatic(
  files: StaticFiles,
  urlPath: string,
  req: StaticRequest,
): Promise<HttpResponse | undefined> {
  const path = safePath(urlPath);
  if (!path) return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'bad path' };
  let found = await pick(files, path, req);
  // Single-page app: unknown extension-less paths get the shell; missing assets stay 404.
  if (!found && !/\.[a-z0-9]+$/i.test(path)) found = await pick(files, 'index.html', req);
  if (!found) return undefined;
  const { served, body, coding } = found;
  const ext = served.slice(served.lastIndexOf('.') + 1).toLowerCase();
  const hashed = HASHED.test(served);
  const headers: Record<string, string> = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(ext === 'html' ? { 'content-security-policy': policyFor(served) } : {}),
    // Which files have precompressed copies is the build's choice (scripts/precompress.mjs): any may vary.
    vary: 'Accept-Encoding',
    ...(coding ? { 'content-encoding': coding.name } : {}),
  };
  if (!hashed) {
    headers['etag'] = await etagOf(body);
    if (notModified(req.header('if-none-match'), headers['etag'])) return { status: 304, headers, body: '' };
  }
  return { status: 200, headers, body: req.method === 'HEAD' ? '' : body };
}

/** The file at `path`, as the best precompressed copy the request accepts, else as it is. */
async function pick(
  files: StaticFiles,
  path: string,
  req: StaticRequest,
): Promise<{ served: string; body: Uint8Array<ArrayBuffer>; coding?: Coding } | undefined> {
  const codings = acceptedCodings(req.header('accept-encoding'));
  // A copy older than its file was made before someone replaced the file in place: never send it.
  const written = codings.length > 0 ? await files.modified(path) : undefined;
  for (const coding of codings) {
    const copied = written === undefined ? undefined : await files.modified(path + coding.suffix);
    if (copied === undefined || written === undefined || copied < written) continue;
    const body = await files.read(path + coding.suffix);
    if (body) return { served: path, body, coding };
  }
  const body = await files.read(path);
  return body ? { served: path, body } : undefined;
}
