/** Redis key names for shared chats, and parsing of what Redis returns for them. */

import { isChatEvent, parseRelayFrame, type ChatEvent } from '../../shared/index.ts';

const PREFIX = 'parley:';

/** The `{chatId}` hash tag keeps one chat's keys in one slot, so scripts also work on Redis Cluster. */
export function chatKeys(chatId: string) {
  const base = `${PREFIX}c:{${chatId}}:`;
  return {
    seq: `${base}seq`,
    log: `${base}log`,
    /** Where a compacted log is built before it is renamed over `log` (the workspace's). */
    rewrite: `${base}log-rewrite`,
    /** Beside the log, expiring with it: the running turn's entries in it, the highest seq evicted. */
    meta: `${base}meta`,
    turns: `${base}turns`,
    runner: `${base}runner`,
    /** The turn running now (`turn_id`, `message_id`, first seq), so another relay can end it if its runner dies. */
    active: `${base}active`,
    buttons: `${base}buttons`,
    used: `${base}used`,
    /** The agent's requests by `<message id>\0<request id>`, as they stand (a stopped turn's are cancelled). */
    requests: `${base}requests`,
    assistant: `${base}assistant`,
    /** The idempotency window: each remembered client_msg_id's `<accepted at ms>|<ack>`, and the ids by seq. */
    acks: `${base}acks`,
    ackOrder: `${base}ack-order`,
    channel: `${PREFIX}live:${chatId}`,
  };
}

export const GLOBAL_KEYS = {
  epoch: `${PREFIX}epoch`,
  control: `${PREFIX}control`,
  agentInfo: `${PREFIX}agent-info`,
};

export interface LogEntry {
  seq: number;
  /** What a replay sends for this entry: the whole message for a finished turn, else the event. */
  replay: ChatEvent;
}

/** A stored or published frame as the chat event it is (our own relays wrote it; anything else is skipped). */
export function parseEvent(text: unknown): ChatEvent | undefined {
  if (typeof text !== 'string') return undefined;
  const parsed = parseRelayFrame(text);
  return parsed.ok && isChatEvent(parsed.value) ? parsed.value : undefined;
}

/** Parses an XRANGE reply (`[[id, [field, value, …]], …]`), skipping anything malformed. */
export function parseEntries(raw: unknown): LogEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: LogEntry[] = [];
  for (const item of raw) {
    if (!Array.isArray(item) || typeof item[0] !== 'string' || !Array.isArray(item[1])) continue;
    const fields = new Map<string, unknown>();
    const list: unknown[] = item[1];
    for (let i = 0; i + 1 < list.length; i += 2) fields.set(String(list[i]), list[i + 1]);
    const seq = Number(item[0].split('-')[1]);
    const replay = parseEvent(fields.get('m')) ?? parseEvent(fields.get('e'));
    if (!replay || !Number.isSafeInteger(seq)) continue;
    out.push({ seq, replay });
  }
  return out;
}

/** The hash field a request is kept under. */
export function requestField(messageId: string, requestId: string): string {
  return `${messageId}\u0000${requestId}`;
}

/** The JSON of an event without its closing brace, for the scripts to stamp seq and epoch onto. */
export function framePrefix(value: object): string {
  return JSON.stringify(value).slice(0, -1);
}
