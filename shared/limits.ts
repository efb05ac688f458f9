/** Protocol version and the wire limits both sides agree on; the relay may lower some of them. */

/**
 * The client ↔ relay protocol. 2: a user message's id is the `client_msg_id` its client chose, end to end, and
 * `turn_start` carries the reply's `created_at` (see docs/PROTOCOL.md, "Versions").
 */
export const PROTOCOL_VERSION = 2;

/** The relay ↔ agent-process protocol (docs/AGENT_PROTOCOL.md), versioned on its own: v2 of the client protocol left it as it was. */
export const AGENT_PROTOCOL_VERSION = 1;

/** `chat_id` grammar: short, URL- and key-safe, no path or quote tricks. */
export const CHAT_ID_PATTERN = /^[A-Za-z0-9_:-]{1,64}$/;

/** Identifiers minted by peers (client_msg_id, message ids, call ids, action ids). */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Most messages one `import` frame carries. */
export const IMPORT_BATCH = 100;
/** What a client puts in one `import` frame at most (texts and files, as sent), well under `maxFrameBytes`. */
export const IMPORT_BATCH_CHARS = 4 * 1024 * 1024;

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
 * Bounds on what a message may hold, for replies the relay builds from agent output as much as for the
 * parsers that read messages back: the relay ends a turn before its reply would break one (`turn_end`
 * status `error`), so every message it sends is one its clients can read. A whole message is also held
 * to `LIMITS.maxFrameBytes` serialized, and its files to the attachment limits above.
 */
export const MESSAGE_LIMITS = {
  /** Characters of one agent event's text, arguments, output or result. */
  maxEventChars: 1_000_000,
  /** Characters of a message's text (a reply's deltas together). */
  maxMessageChars: 4 * 1024 * 1024,
  /** Characters of a reply's reasoning. */
  maxReasoningChars: 4 * 1024 * 1024,
  /** Tool calls in one reply. */
  maxToolCalls: 256,
  /** Characters of one tool call's arguments, of its output, and of its result. */
  maxToolChars: 1_000_000,
  /** Characters of the text an agent's `message_edit` sets. */
  maxEditChars: 1_024_000,
  /** Characters of a turn's error text. */
  maxErrorChars: 4000,
  /** Steps, sources and data parts in one reply (each). */
  maxBlocks: 256,
} as const;

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
