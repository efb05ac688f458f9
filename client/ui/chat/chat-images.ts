/** The images a chat holds as stored files, in order, for the lightbox. */

import { IMAGE_MIME_TYPES } from '../../../shared/index.ts';
import { attachmentUrl } from '../../state/attachment-urls.ts';
import type { LocalMessage } from '../../state/types.ts';
import type { LightboxImage } from '../dialogs/image-lightbox.ts';

/** Every stored image in `messages` whose bytes are on this device, and the place of attachment `id` among them. */
export async function chatImages(
  messages: readonly LocalMessage[],
  id: string,
): Promise<{ images: LightboxImage[]; index: number }> {
  const refs = messages.flatMap((m) => m.attachments ?? []).filter((a) => IMAGE_MIME_TYPES.includes(a.mime));
  const urls = await Promise.all(refs.map((a) => attachmentUrl(a.id)));
  const found = refs.flatMap((a, i) => {
    const url = urls[i];
    return url ? [{ id: a.id, image: { url, name: a.name } }] : [];
  });
  return {
    images: found.map((f) => f.image),
    index: Math.max(
      0,
      found.findIndex((f) => f.id === id),
    ),
  };
}
