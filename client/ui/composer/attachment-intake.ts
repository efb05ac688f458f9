/** Files the user adds to a message (picker, drop, paste): checked against the limits, large images downscaled. */

import { ATTACHMENT_MIME_TYPES, LIMITS } from '../../../shared/index.ts';
import { formatBytes } from '../common/format-bytes.ts';

/** Longest side, in pixels, of an image that is sent; larger ones are scaled down before sending. */
export const MAX_IMAGE_SIDE = 2048;
/** Still images are re-encoded when bigger than this even if their sides are within MAX_IMAGE_SIDE. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** GIFs may be animated; a canvas would keep only the first frame, so they are sent as they are. */
const SCALABLE = ['image/png', 'image/jpeg', 'image/webp'];

export interface Intake {
  files: File[];
  /** Why some files were left out, for the user, or '' when all were taken. */
  error: string;
}

/**
 * A large photo scaled to fit MAX_IMAGE_SIDE and re-encoded in its own format; the original when it is small
 * enough, not an image we scale, undecodable, or when the result would not be smaller.
 */
export async function downscaleImage(file: File, maxSide = MAX_IMAGE_SIDE): Promise<File> {
  if (!SCALABLE.includes(file.type)) return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  const { width, height } = bitmap;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  if (scale === 1 && file.size <= MAX_IMAGE_BYTES) {
    bitmap.close();
    return file;
  }
  const canvas = new OffscreenCanvas(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)));
  const ctx = canvas.getContext('2d');
  if (!ctx) return file;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await canvas.convertToBlob({ type: file.type, quality: 0.85 });
  if (blob.size >= file.size && scale === 1) return file;
  return new File([blob], file.name, { type: file.type, lastModified: file.lastModified });
}

/** A pasted image has no useful name ("image.png"); give it one that tells pastes apart. */
function named(file: File, index: number): File {
  if (file.name && file.name !== 'image.png') return file;
  const ext = file.type.split('/')[1] ?? 'bin';
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return new File([file], `pasted-${stamp}${index ? `-${index}` : ''}.${ext}`, { type: file.type });
}

/** Adds `incoming` to `current`: refuses types, sizes and counts beyond the limits, with one clear reason. */
export async function takeFiles(current: File[], incoming: File[], pasted = false): Promise<Intake> {
  let error = '';
  const taken: File[] = [];
  for (const [i, raw] of incoming.entries()) {
    const file = pasted ? named(raw, i) : raw;
    if (!ATTACHMENT_MIME_TYPES.includes(file.type)) {
      error ||=
        file.type === 'image/svg+xml'
          ? `${file.name}: SVG images cannot be sent (they can carry scripts).`
          : `${file.name}: this file type (${file.type || 'unknown'}) cannot be sent.`;
      continue;
    }
    const ready = await downscaleImage(file);
    if (ready.size > LIMITS.maxAttachmentBytes) {
      error ||= `${file.name} is ${formatBytes(ready.size)}; the limit is ${formatBytes(LIMITS.maxAttachmentBytes)}.`;
      continue;
    }
    taken.push(ready);
  }
  let files = [...current, ...taken];
  if (files.length > LIMITS.maxAttachments) {
    error = `At most ${LIMITS.maxAttachments} files per message.`;
    files = files.slice(0, LIMITS.maxAttachments);
  }
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > LIMITS.maxTotalAttachmentBytes) {
    error = `These files add up to ${formatBytes(total)}; one message can carry ${formatBytes(LIMITS.maxTotalAttachmentBytes)}.`;
    while (files.length > current.length && files.reduce((n, f) => n + f.size, 0) > LIMITS.maxTotalAttachmentBytes) {
      files.pop();
    }
  }
  return { files, error };
}
