/** Protocol version and the wire limits both sides agree on; the relay may lower some of them. */

export const PROTOCOL_VERSION = 1;

/** `chat_id` grammar: short, URL- and key-safe, no path or quote tricks. */
export const CHAT_ID_PATTERN = /^[A-Za-z0-9_:-]{1,64}$/;

/** Identifiers minted by peers (client_msg_id, message ids, call ids, action ids). */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

export const LIMITS = {
  /** Largest WebSocket frame a client may send; bigger frames close the socket with 1009. */
  maxFrameBytes: 16 * 1024 * 1024,
  /** Characters in one message's text. */
  maxTextChars: 64_000,
  /** Attachments on one message. */
  maxAttachments: 8,
  /** Decoded bytes of one attachment. */
  maxAttachmentBytes: 8 * 1024 * 1024,
  /**
   * Decoded bytes of all attachments on one message. Chosen so that a `send` at every limit at once (this in
   * base64, the longest text and context with every character escaped) still fits in `maxFrameBytes`.
   */
  maxTotalAttachmentBytes: 10_000_000,
  /** Prior messages a client may send as context with `send`. */
  maxContextMessages: 200,
  /** Characters across all context messages. */
  maxContextChars: 400_000,
  /** Buttons on one message (rows × columns). */
  maxButtons: 24,
  /** Length of a button label and of other short strings (names, titles, models). */
  maxLabelChars: 200,
} as const;

export type Limits = { [K in keyof typeof LIMITS]: number };

/**
 * MIME types accepted for attachments in either direction. SVG is deliberately absent:
 * it can carry script, and an image tag is not the only place a user might open it.
 */
export const ATTACHMENT_MIME_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
  'application/pdf',
];

export const IMAGE_MIME_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
