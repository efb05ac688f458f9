/**
 * The line format of a chat's history file, and reading one back: one record per line, `kind TAB at TAB arg TAB
 * json`, appended in the order things happened. The JSON is the envelope exactly as clients receive it.
 */

import { Buffer } from 'node:buffer';
import { isChatEvent, parseRelayFrame, type AckFrame, type ChatEvent, type MessageEvent } from '../../shared/index.ts';
import type { LoadedChat, RememberedAck, StoredEntry } from '../core/history-store.ts';
import { expired, type HistoryLimits } from '../core/replay-window.ts';

/** e: an event; c: a finished turn's message (arg: the turn); r: a revised message; a: an ack; h: head,evicted. */
type Kind = 'e' | 'c' | 'r' | 'a' | 'h';

export function record(kind: Kind, at: number, arg: string, json: string): string {
  return `${kind}\t${at}\t${arg}\t${json}\n`;
}

export const eventRecord = (entry: StoredEntry, kind: 'e' | 'c' = 'e', turnId = ''): string =>
  record(kind, entry.at, turnId, JSON.stringify(entry.event));
export const reviseRecord = (message: MessageEvent, at: number): string => record('r', at, '', JSON.stringify(message));
export const ackRecord = ({ ack, at }: RememberedAck): string => record('a', at, '', JSON.stringify(ack));
export const headerRecord = (head: number, evictedThrough: number): string =>
  record('h', 0, `${head},${evictedThrough}`, '{}');

/** What reading a file found besides the chat: how much of it is sound, and what is dead weight. */
export interface FileScan {
  chat: LoadedChat;
  /** Bytes from the start that hold whole, readable records; a crash mid-write leaves more after them. */
  soundBytes: number;
  /** Lines that could not be read (a damaged middle is skipped, a torn last line is cut off). */
  damaged: number;
  torn: boolean;
  /** Bytes of records no longer needed (compacted turns, revised copies, acks, headers). */
  deadBytes: number;
  /** Whether retention removed entries the file still holds. */
  retained: boolean;
  /** The running turn's record bytes, which become dead when it is compacted. */
  openTurnBytes: Map<string, number>;
}

interface Parsed {
  kind: Kind;
  at: number;
  arg: string;
  json: string;
}

function split(line: string): Parsed | undefined {
  const a = line.indexOf('\t');
  const b = line.indexOf('\t', a + 1);
  const c = line.indexOf('\t', b + 1);
  if (a !== 1 || b < 0 || c < 0) return undefined;
  const kind = line[0];
  const at = Number(line.slice(a + 1, b));
  if (kind !== 'e' && kind !== 'c' && kind !== 'r' && kind !== 'a' && kind !== 'h') return undefined;
  if (!Number.isSafeInteger(at)) return undefined;
  return { kind, at, arg: line.slice(b + 1, c), json: line.slice(c + 1) };
}

function chatEvent(json: string): ChatEvent | undefined {
  const parsed = parseRelayFrame(json);
  return parsed.ok && isChatEvent(parsed.value) ? parsed.value : undefined;
}

function ackFrame(json: string): AckFrame | undefined {
  const parsed = parseRelayFrame(json);
  return parsed.ok && parsed.value.type === 'ack' ? parsed.value : undefined;
}

/** Folds a file's records into the chat they describe, then applies the retention rule as of `now`. */
export function scan(file: Uint8Array, now: number, retention: HistoryLimits): FileScan {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const live: (StoredEntry | undefined)[] = [];
  /** Newest index of each whole message, for revisions; indices of the running turn's events. */
  const byMessage = new Map<string, number>();
  const openTurn: number[] = [];
  const openTurnBytes = new Map<string, number>();
  const acks: RememberedAck[] = [];
  let head = 0;
  let evictedThrough = 0;
  let damaged = 0;
  let deadBytes = 0;
  let offset = 0;
  while (offset < bytes.length) {
    const end = bytes.indexOf(10, offset);
    if (end < 0) break;
    const line = bytes.toString('utf8', offset, end);
    const lineBytes = end + 1 - offset;
    offset = end + 1;
    const rec = split(line);
    // The JSON is the line's tail, and the prefix is ASCII: its bytes are the line's less the prefix's length.
    const ok = rec !== undefined && apply(rec, lineBytes, lineBytes - 1 - (line.length - rec.json.length));
    if (!ok) {
      damaged++;
      deadBytes += lineBytes;
    }
  }
  const soundBytes = offset;
  const torn = offset < bytes.length;

  function apply(rec: Parsed, lineBytes: number, jsonBytes: number): boolean {
    if (rec.kind === 'h') {
      const [h, e] = rec.arg.split(',').map(Number);
      if (!Number.isSafeInteger(h) || !Number.isSafeInteger(e) || h === undefined || e === undefined) return false;
      head = Math.max(head, h);
      evictedThrough = Math.max(evictedThrough, e);
      deadBytes += lineBytes;
      return true;
    }
    if (rec.kind === 'a') {
      const ack = ackFrame(rec.json);
      if (ack) acks.push({ ack, at: rec.at });
      deadBytes += lineBytes;
      return ack !== undefined;
    }
    const event = chatEvent(rec.json);
    if (!event) return false;
    const entry = { event, at: rec.at, bytes: jsonBytes };
    if (rec.kind === 'r') {
      if (event.type !== 'message') return false;
      const at = byMessage.get(event.message.id);
      const old = at === undefined ? undefined : live[at];
      // A revision keeps its message's place and time; only what a replay sends changes.
      if (at !== undefined && old) live[at] = { ...entry, at: old.at };
      deadBytes += lineBytes;
      return true;
    }
    if (rec.kind === 'c') {
      for (const i of openTurn) {
        const e = live[i];
        if (e && 'turn_id' in e.event && e.event.turn_id === rec.arg) live[i] = undefined;
      }
      openTurn.length = 0;
      deadBytes += openTurnBytes.get(rec.arg) ?? 0;
      openTurnBytes.delete(rec.arg);
    } else if ('turn_id' in event) {
      openTurn.push(live.length);
      openTurnBytes.set(event.turn_id, (openTurnBytes.get(event.turn_id) ?? 0) + lineBytes);
    }
    if (event.type === 'message') byMessage.set(event.message.id, live.length);
    head = Math.max(head, event.seq);
    live.push(entry);
    return true;
  }

  const entries = live.filter((e): e is StoredEntry => e !== undefined);
  let total = entries.reduce((n, e) => n + e.bytes, 0);
  let cut = 0;
  while (cut < entries.length) {
    const e = entries[cut];
    if (!e || !expired(e.at, total, cut === entries.length - 1, retention, now)) break;
    evictedThrough = Math.max(evictedThrough, e.event.seq);
    total -= e.bytes;
    cut++;
  }
  const chat = { head, evictedThrough, entries: cut ? entries.slice(cut) : entries, acks };
  return { chat, soundBytes, damaged, torn, deadBytes, retained: cut > 0, openTurnBytes };
}

/** The file's content written afresh: the header, what is kept, and the acks still worth remembering. */
export function rewrite(chat: LoadedChat, acks: readonly RememberedAck[]): string {
  const parts = [headerRecord(chat.head, chat.evictedThrough)];
  for (const entry of chat.entries) parts.push(eventRecord(entry));
  for (const ack of acks) parts.push(ackRecord(ack));
  return parts.join('');
}
