/** Serves the built client from a directory through a runtime-provided file reader. */

import type { HttpResponse } from '../core/http.ts';

/** Reads a file below the static root; the path is already normalized and relative. Files whose real path leaves the root are not read. */
export interface StaticFiles {
  read(relativePath: string): Promise<Uint8Array<ArrayBuffer> | undefined>;
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

/** Vite puts content-hashed files under assets/: they never change, so they may be cached forever. */
function cacheControl(path: string): string {
  return path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
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
  method: string,
): Promise<HttpResponse | undefined> {
  const path = safePath(urlPath);
  if (!path) return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'bad path' };
  let body = await files.read(path);
  let served = path;
  // Single-page app: unknown extension-less paths get the shell; missing assets stay 404.
  if (!body && !/\.[a-z0-9]+$/i.test(path)) {
    body = await files.read('index.html');
    served = 'index.html';
  }
  if (!body) return undefined;
  const ext = served.slice(served.lastIndexOf('.') + 1).toLowerCase();
  return {
    status: 200,
    headers: {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': cacheControl(served),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...(ext === 'html' ? { 'content-security-policy': CONTENT_SECURITY_POLICY } : {}),
    },
    body: method === 'HEAD' ? '' : body,
  };
}
