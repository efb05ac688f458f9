/** Object URLs for stored attachment Blobs, created once per id and shared by every view. */

import type { DbReader } from './db.ts';

let source: DbReader | null = null;
const urls = new Map<string, Promise<string | undefined>>();

export function setAttachmentSource(db: DbReader | null): void {
  source = db;
}

/** Lets a message show its attachment before (or without) the database having it, e.g. in private mode. */
export function rememberAttachment(id: string, blob: Blob): void {
  urls.set(id, Promise.resolve(URL.createObjectURL(blob)));
}

export function attachmentUrl(id: string): Promise<string | undefined> {
  let url = urls.get(id);
  if (!url) {
    url = (async () => {
      const stored = await source?.getAttachment(id);
      return stored ? URL.createObjectURL(stored.blob) : undefined;
    })();
    urls.set(id, url);
    // A miss may only mean the bytes are still being written; allow a later lookup to try again.
    void url.then((u) => u ?? urls.delete(id));
  }
  return url;
}
