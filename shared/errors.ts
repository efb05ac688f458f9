/** Stable error codes carried by `error` frames and returned by the parsers. */

export const ERROR_CODES = [
  /** The frame is not valid JSON. */
  'bad_json',
  /** The frame is JSON but not an object with a string `type`. */
  'bad_frame',
  /** `type` names no frame this side accepts. */
  'unknown_type',
  /** A field is missing, of the wrong type, or out of range; `message` names it. */
  'invalid_field',
  /** `chat_id` is a string that does not match `^[A-Za-z0-9_:-]{1,64}$` (a missing one is `invalid_field`). */
  'invalid_chat_id',
  /** Message text is longer than `limits.maxTextChars`. */
  'text_too_large',
  /** Too many attachments, or their total size is over the limit. */
  'attachments_too_large',
  /** An attachment's MIME type is not on the whitelist (SVG never is). */
  'attachment_type',
  /** Context is longer than the limits allow. */
  'context_too_large',
  /** The connection sent frames faster than its rate limit allows. */
  'rate_limited',
  /** The connection follows as many chats as the relay allows (`--max-subscriptions`). */
  'too_many_subscriptions',
  /** The frame names a chat this connection has not subscribed to. */
  'not_subscribed',
  /** `stop` arrived while no turn was running in that chat. */
  'no_active_turn',
  /** `action` names a message or button the relay does not know. */
  'unknown_action',
  /** A `history` request failed: the agent is not connected, did not answer in time, or threw. */
  'agent_unavailable',
  /** The agent keeps no history to answer `history`. */
  'history_unsupported',
  /** The peer speaks a protocol version this side does not. */
  'protocol_version',
  /** The chat already has as many messages waiting for the agent as the relay queues (`--max-queued-turns`, `--max-queued-bytes`); send again once it has answered. */
  'queue_full',
  /** The frame is valid but not allowed in the connection's current state. */
  'bad_state',
  /** An agent frame names a running turn together with a `chat_id` other than that turn's chat. */
  'wrong_chat',
  /** Relays share chats through storage (Redis) that is out of reach; retry the request later. */
  'storage_unavailable',
  /** `answer` names a message or request the relay does not know. */
  'unknown_request',
  /** The request was answered already (by any tab or device): the first answer wins. */
  'request_answered',
  /** The request's `expires_at` has passed, or its turn was stopped or failed: it takes no answer. */
  'request_closed',
  /** The answer does not fit the request (wrong kind, a form value missing or out of range); `message` says which. */
  'invalid_answer',
  /** A chat frame (`send`, `action`, `stop`, `history`) names the workspace channel, or a `workspace_write` names a chat other than it. */
  'wrong_channel',
  /** A `workspace_write` change is stamped further ahead of the relay's clock than it allows (5 minutes): set the device's clock right. */
  'clock_ahead',
  /** `continue` names a message that is not a reply ended `stopped` or `error` (or one the relay does not know, or whose question it no longer has). */
  'cannot_continue',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a parser returns instead of a frame. */
export interface ProtocolError {
  readonly code: ErrorCode;
  readonly message: string;
  /** The `type` of the offending frame, when it had one. */
  readonly frameType?: string;
  /** The `chat_id` of the offending frame, when it had a valid one. */
  readonly chatId?: string;
  /** The `client_msg_id` (or other request id) of the offending frame, when present. */
  readonly ref?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/** WebSocket close codes the relay uses. */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  policyViolation: 1008,
  frameTooLarge: 1009,
  internalError: 1011,
  /** Application range: the consumer fell too far behind and was dropped. */
  slowConsumer: 4008,
  /** Application range: no pong within the liveness timeout. */
  pingTimeout: 4009,
  /** The relay's shared storage came back; reconnect and resume from the seq you hold. */
  serviceRestart: 1012,
} as const;
