/** Saves an image the app shows (a blob: attachment or a data: URL) as a file with the name it was given. */

/** A data: URL as a Blob, decoded here: fetching it would be a connection the CSP refuses (connect-src 'self'). */
function dataUrlBlob(url: string): Blob | undefined {
  const m = /^data:([^,;]*)((?:;[^,;]*)*?)(;base64)?,(.*)$/s.exec(url);
  if (!m) return undefined;
  const type = m[1] || 'application/octet-stream';
  const body = m[4] ?? '';
  if (m[3]) return new Blob([Uint8Array.from(atob(body), (c) => c.charCodeAt(0))], { type });
  return new Blob([decodeURIComponent(body)], { type });
}

/** A file name a file system takes: no path separators or control characters, not empty. */
export function safeFileName(name: string, fallback = 'image'): string {
  // eslint-disable-next-line no-control-regex -- control characters are what a file name must not hold
  const clean = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_').trim();
  return clean.replace(/^\.+/, '').slice(0, 200) || fallback;
}

export function downloadUrl(url: string, name: string): void {
  const a = document.createElement('a');
  a.download = safeFileName(name);
  a.hidden = true;
  let made: string | undefined;
  if (url.startsWith('data:')) {
    const blob = dataUrlBlob(url);
    if (!blob) return;
    made = a.href = URL.createObjectURL(blob);
  } else {
    a.href = url;
  }
  // Inside a modal dialog's page a detached link may not start a download; a connected one does.
  document.body.append(a);
  a.click();
  a.remove();
  if (made) setTimeout(() => URL.revokeObjectURL(made), 60_000);
}
