/** The wire limits fit together: a `send` at every limit at once is a frame the relay accepts (issue 12, item 6). */

import { describe, expect, it } from 'vitest';
import { LIMITS, parseClientFrame } from './index.ts';

/** Valid base64 of `bytes` decoded bytes. */
function base64Of(bytes: number): string {
  const groups = Math.ceil(bytes / 3);
  const padding = groups * 3 - bytes;
  return 'A'.repeat(groups * 4 - padding) + '='.repeat(padding);
}

describe('LIMITS', () => {
  it('fit a send with the most text, context and attachments, every character escaped, in one frame', () => {
    // U+0001 is the character JSON spends most bytes on (\u0001, six).
    const worst = (n: number) => '\u0001'.repeat(n);
    const each = Math.floor(LIMITS.maxTotalAttachmentBytes / LIMITS.maxAttachments);
    const frame = {
      type: 'send',
      chat_id: 'c'.repeat(64),
      client_msg_id: 'i'.repeat(128),
      text: worst(LIMITS.maxTextChars),
      model: 'm'.repeat(LIMITS.maxLabelChars),
      attachments: Array.from({ length: LIMITS.maxAttachments }, (_, i) => ({
        id: `${i}`.padEnd(128, 'a'),
        name: worst(255),
        mime: 'application/json',
        size: each,
        data: base64Of(each),
      })),
      context: Array.from({ length: LIMITS.maxContextMessages }, () => ({
        role: 'assistant',
        text: worst(LIMITS.maxContextChars / LIMITS.maxContextMessages),
      })),
    };
    const raw = JSON.stringify(frame);
    const parsed = parseClientFrame(raw);
    expect(parsed.ok, parsed.ok ? '' : parsed.error.message).toBe(true);
    // All ASCII (the escapes included), so its length is its size in bytes.
    expect(/^[\x20-\x7e]*$/.test(raw)).toBe(true);
    expect(raw.length).toBeLessThanOrEqual(LIMITS.maxFrameBytes);
  });
});
