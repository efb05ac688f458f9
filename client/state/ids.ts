/** Random identifiers that satisfy the protocol's id and chat_id patterns. */

function randomPart(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(buf, (b) => b.toString(36).padStart(2, '0')).join('');
}

/** A new chat id (`c-` + 16 random base-36 characters). */
export function newChatId(): string {
  return `c-${randomPart(8)}`;
}

/** A new `client_msg_id` or attachment id. */
export function newId(prefix = 'm'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomPart(6)}`;
}
