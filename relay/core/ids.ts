/** Random identifiers and secrets from the runtime's Web Crypto (same on Node and Deno). */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A URL-safe random string of `length` characters (6 bits of entropy each). */
export function randomId(length = 16): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 63];
  return out;
}

/** Prefixed ids make logs and frames readable: `m_…` message, `t_…` turn, `c_…` connection. */
export const newMessageId = (): string => `m_${randomId(16)}`;
export const newTurnId = (): string => `t_${randomId(12)}`;
export const newConnectionId = (): string => `c_${randomId(10)}`;

/** An epoch names one lifetime of the relay's replay state. */
export const newEpoch = (): string => `${Date.now().toString(36)}-${randomId(8)}`;
