/** Lua scripts that make each shared-chat write atomic in Redis (run by SHA through ScriptRunner): stamp seq, log, trim, publish, remember acks, queue turns. */

import { retentionBounds, type HistoryLimits } from '../core/replay-window.ts';
import { chatKeys } from './keys.ts';

/**
 * What a chat's Stream keeps. The Stream is the chat's history, as a data directory is for one relay, so only
 * retention (`relay/core/replay-window.ts`) removes entries from it; the replay bounds stay a relay's memory bounds.
 */
export interface LogLimits {
  /** `--history-max-age` and `--history-max-bytes`: what the chat keeps at all, as in every other store. */
  retention: HistoryLimits;
  /** How long the idempotency window, the turn queue and a running turn's record outlive their last write (the replay age). */
  ttlMs: number;
  /** The relay's clock: each entry records when it was logged (field `a`), for the age bound. */
  now: () => number;
}

/**
 * Frames are stored and published ready to send. The caller passes an event's JSON without its
 * closing brace; the script appends `"seq"` and `"epoch"`, so no relay re-serializes a frame.
 * Published messages are `<seq>\n<frame>` so readers can order and dedupe without parsing JSON.
 * Entry fields: `e` the frame; `t` the turn it builds (a finished turn replaces those entries with one
 * whose `m` is the whole message); `a` when it was logged (the relay's clock). Beside the log, the hash `meta` counts
 * the bytes it holds (`bytes`) and the running turn's entries (`open`), and remembers the highest seq evicted
 * (`evicted`). Neither expires unless `--history-max-age` is set (then both go that long after the last write, when
 * every entry is past it anyway).
 */
const LOG = `
local seqKey, logKey, metaKey = KEYS[1], KEYS[2], KEYS[3]
local channel, epoch = ARGV[1], ARGV[2]
-- ARGV[3]: the TTL of the window's keys, the history's TTL (0: none), then retentionBounds() of
-- relay/core/replay-window.ts (oldest time kept, bytes kept), and now.
local ttl, historyTtl, oldestAt, keepBytes, now = string.match(ARGV[3], '^(%d+) (%d+) (%d+) (%d+) (%d+)$')
oldestAt, keepBytes = tonumber(oldestAt), tonumber(keepBytes)

-- The history's keys live as long as retention keeps anything: forever by default.
local function keep(key)
  if historyTtl == '0' then redis.call('PERSIST', key) else redis.call('PEXPIRE', key, historyTtl) end
end

local function stamp(prefix, seq)
  return prefix .. ',"seq":' .. seq .. ',"epoch":"' .. epoch .. '"}'
end

local function size(fields)
  local n = 0
  for i = 2, #fields, 2 do n = n + #fields[i] end
  return n
end

local function field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then return fields[i + 1] end
  end
end

-- Whether turnId is the chat's running turn: its record is written with its turn_start and deleted with its turn_end.
local function running(activeKey, turnId)
  local record = redis.call('GET', activeKey)
  return record ~= false and cjson.decode(record).turn_id == turnId
end

local function load()
  if redis.call('EXISTS', logKey) == 0 then
    -- The log expired (or was never written): everything up to the head went with it.
    return { bytes = 0, open = 0, evicted = tonumber(redis.call('GET', seqKey) or '0') }
  end
  local meta = redis.call('HMGET', metaKey, 'bytes', 'open', 'evicted')
  return { bytes = tonumber(meta[1]) or 0, open = tonumber(meta[2]) or 0, evicted = tonumber(meta[3]) or 0 }
end

local function remove(log, entry)
  redis.call('XDEL', logKey, entry[1])
  log.bytes = math.max(0, log.bytes - size(entry[2]))
  if field(entry[2], 't') then log.open = math.max(0, log.open - 1) end
end

-- Retention, as expired() does it: the oldest entry goes when logged before oldestAt, or while all bytes exceed
-- keepBytes (but the newest stays). Remembers the highest seq evicted; returns how many went.
local function trim(log)
  local count = redis.call('XLEN', logKey)
  local removed = 0
  while count > 0 do
    local oldest = redis.call('XRANGE', logKey, '-', '+', 'COUNT', 1)[1]
    local at = tonumber(field(oldest[2], 'a') or '')
    local aged = oldestAt > 0 and at ~= nil and at < oldestAt
    if not aged and not (keepBytes > 0 and log.bytes > keepBytes and count > 1) then break end
    remove(log, oldest)
    log.evicted = math.max(log.evicted, tonumber(string.sub(oldest[1], 3)))
    count = count - 1
    removed = removed + 1
  end
  return removed
end

-- Logs fields (the frame first) as entry seq, trims, and publishes the frame.
local function append(log, seq, fields)
  fields[#fields + 1] = 'a'
  fields[#fields + 1] = now
  redis.call('XADD', logKey, '0-' .. seq, unpack(fields))
  log.bytes = log.bytes + size(fields)
  if field(fields, 't') then log.open = log.open + 1 end
  trim(log)
  redis.call('HSET', metaKey, 'bytes', log.bytes, 'open', log.open, 'evicted', log.evicted)
  keep(logKey)
  keep(metaKey)
  -- The seq never expires (an older relay set a TTL on it): a chat idle past the replay age continues its seq.
  redis.call('PERSIST', seqKey)
  redis.call('PUBLISH', channel, seq .. '\\n' .. fields[2])
end
`;

/**
 * The KEYS and ARGV of a log script: KEYS seq, log, meta, then `keys`; ARGV channel, epoch, "window ttl ms,
 * history ttl ms, oldest kept, bytes kept, now", then `args` (from ARGV[4]) — the order `LOG` reads them in.
 */
export function logParams(
  chatId: string,
  epoch: string,
  limits: LogLimits,
  keys: string[],
  args: string[],
): [keys: string[], args: string[]] {
  const k = chatKeys(chatId);
  const now = limits.now();
  const { oldestAt, maxBytes } = retentionBounds(limits.retention, now);
  const timing = `${limits.ttlMs} ${limits.retention.maxAgeMs} ${oldestAt} ${maxBytes} ${now}`;
  return [
    [k.seq, k.log, k.meta, ...keys],
    [k.channel, epoch, timing, ...args],
  ];
}

/**
 * KEYS (after the log's): active. ARGV (after the log's): event prefix, turn id ('' for an event of no turn),
 * the running record's prefix (ends with `"first_seq":`; a turn_start only), that record's ttl ms.
 * A turn_start records its turn as running; any other event of a turn is refused once that turn is not running
 * (ended elsewhere, or cut off), so nothing is logged after a turn's end. Returns the seq.
 */
export const APPEND = `${LOG}
local turnId, record = ARGV[5], ARGV[6]
if turnId ~= '' and record == '' and not running(KEYS[4], turnId) then
  return redis.error_reply('turn_not_running: turn ' .. turnId .. ' is not running')
end
local log = load()
local seq = redis.call('INCR', seqKey)
local fields = {'e', stamp(ARGV[4], seq)}
if turnId ~= '' then fields = {'e', fields[2], 't', turnId} end
append(log, seq, fields)
if record ~= '' then redis.call('SET', KEYS[4], record .. seq .. '}', 'PX', ARGV[7]) end
return seq
`;

/**
 * A user message (or a button press) accepted once per client_msg_id while that id is in the chat's idempotency
 * window: the newest `window` ids, each for `max age` ms from when it was accepted (the in-process rule).
 * KEYS (after the log's): acks, ack order, turns, [used]. ARGV (after the log's): event prefix, ack prefix (ends
 * with `"seq":`), turn JSON ('' for a write that queues no turn: a workspace write), client_msg_id, now ms, max age ms, window, most turns waiting, most bytes waiting,
 * [used member].
 * Returns {1, ack} when accepted now, {0, ack} for a repeat, {-1, ''} when the button was already pressed,
 * {-2 or -3, "<turns waiting> <bytes they and this one would hold>"} when the queue is full by count or bytes.
 * A waiting turn weighs what Redis holds for it: its JSON (text, files as base64, context).
 */
export const ACCEPT = `${LOG}
local acks, order, turns, used = KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local id, now, maxAge, window = ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local seen = redis.call('HGET', acks, id)
if seen then
  local cut = string.find(seen, '|', 1, true)
  if tonumber(string.sub(seen, 1, cut - 1)) >= now - maxAge then return {0, string.sub(seen, cut + 1)} end
end
local waiting = redis.call('LRANGE', turns, 0, -1)
local bytes = #ARGV[6]
for _, entry in ipairs(waiting) do bytes = bytes + #entry end
if #waiting >= tonumber(ARGV[11]) then return {-2, #waiting .. ' ' .. bytes} end
if #waiting > 0 and bytes > tonumber(ARGV[12]) then return {-3, #waiting .. ' ' .. bytes} end
if used then
  if redis.call('SADD', used, ARGV[13]) == 0 then return {-1, ''} end
  -- Which buttons were used is part of the chat's history: it is kept as long as the log.
  keep(used)
end
local log = load()
local seq = redis.call('INCR', seqKey)
append(log, seq, {'e', stamp(ARGV[4], seq)})
local ack = ARGV[5] .. seq .. '}'
redis.call('HSET', acks, id, now .. '|' .. ack)
-- Scored by seq, so the window drops the ids accepted first (re-accepting an expired id moves it to the end).
redis.call('ZADD', order, seq, id)
local over = redis.call('ZCARD', order) - window
if over > 0 then
  for _, gone in ipairs(redis.call('ZRANGE', order, 0, over - 1)) do redis.call('HDEL', acks, gone) end
  redis.call('ZREMRANGEBYRANK', order, 0, over - 1)
end
redis.call('PEXPIRE', acks, ttl)
redis.call('PEXPIRE', order, ttl)
if ARGV[6] ~= '' then
  redis.call('RPUSH', turns, ARGV[6])
  redis.call('PEXPIRE', turns, ttl)
end
return {1, ack}
`;

/**
 * Ends a running turn exactly once, whichever relay gets there first (its runner, or one repairing it): deletes
 * its running record and its entries, and appends `turn_end` with the whole message beside it (field `m`).
 * KEYS (after the log's): active. ARGV (after the log's): turn_end prefix, message event prefix, first seq, turn id.
 * Returns the turn_end's seq, or 0 when the turn was not running (already ended).
 */
export const END_TURN = `${LOG}
local turnId = ARGV[7]
if not running(KEYS[4], turnId) then return 0 end
redis.call('DEL', KEYS[4])
local log = load()
for _, entry in ipairs(redis.call('XRANGE', logKey, '0-' .. ARGV[6], '+')) do
  if field(entry[2], 't') == turnId then remove(log, entry) end
end
local seq = redis.call('INCR', seqKey)
append(log, seq, {'e', stamp(ARGV[4], seq), 'm', stamp(ARGV[5], seq)})
return seq
`;

/**
 * What a resume reads, in one step, retention applied first (as the in-process log trims before it replays):
 * KEYS seq, log, meta; ARGV as `logParams` builds them, then the seq the client has.
 * Returns {head, highest seq evicted, the entries after the client's seq}.
 */
export const REPLAY = `${LOG}
local head = tonumber(redis.call('GET', seqKey) or '0')
local log = load()
if trim(log) > 0 then redis.call('HSET', metaKey, 'bytes', log.bytes, 'open', log.open, 'evicted', log.evicted) end
return {head, log.evicted, redis.call('XRANGE', logKey, '0-' .. (tonumber(ARGV[4]) + 1), '+')}
`;

/**
 * Swaps a compacted log in (the workspace's: `relay/core/workspace.ts` decides what is kept). KEYS (after the
 * log's): the key to build it in. ARGV (after the log's): the highest seq the relay read, then for each entry
 * kept of those, oldest first: its seq, when it was logged, its frame. Entries written after the read are kept
 * as they are. Returns 0, changing nothing, when a kept entry is no longer there (the log was trimmed or compacted
 * since it was read), else 1.
 */
export const REWRITE_LOG = `${LOG}
local through, building = tonumber(ARGV[4]), KEYS[4]
for i = 5, #ARGV, 3 do
  if #redis.call('XRANGE', logKey, '0-' .. ARGV[i], '0-' .. ARGV[i]) == 0 then return 0 end
end
redis.call('DEL', building)
local bytes, open = 0, 0
local function add(id, fields)
  redis.call('XADD', building, id, unpack(fields))
  bytes = bytes + size(fields)
  if field(fields, 't') then open = open + 1 end
end
for i = 5, #ARGV, 3 do add('0-' .. ARGV[i], {'e', ARGV[i + 2], 'a', ARGV[i + 1]}) end
for _, entry in ipairs(redis.call('XRANGE', logKey, '(0-' .. through, '+')) do add(entry[1], entry[2]) end
if redis.call('EXISTS', building) == 0 then return 0 end
redis.call('RENAME', building, logKey)
redis.call('HSET', metaKey, 'bytes', bytes, 'open', open)
keep(logKey)
keep(metaKey)
return 1
`;

/** Releases a lock only if this relay still holds it. KEYS: lock. ARGV: owner prefix. */
export const RELEASE = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
