/** Lua scripts that make each shared-chat write atomic in Redis (run by SHA through ScriptRunner): stamp seq, log, trim, publish, remember acks, queue turns. */

import { retentionBounds, RUNNING_TURN_FACTOR, type HistoryLimits } from '../core/replay-window.ts';
import { chatKeys } from './keys.ts';

/** What a chat's replay log may hold (see `relay/core/replay-window.ts` for the rule). */
export interface LogLimits {
  maxEvents: number;
  /** Bytes of all entries together (frames and compacted messages). */
  maxBytes: number;
  /** How long the log outlives its last write. */
  ttlMs: number;
  /** `--history-max-age` and `--history-max-bytes`: what the chat keeps at all, as in every other store. */
  retention: HistoryLimits;
  /** The relay's clock: each entry records when it was logged (field `a`), for the age bound. */
  now: () => number;
}

/**
 * Frames are stored and published ready to send. The caller passes an event's JSON without its
 * closing brace; the script appends `"seq"` and `"epoch"`, so no relay re-serializes a frame.
 * Published messages are `<seq>\n<frame>` so readers can order and dedupe without parsing JSON.
 * Entry fields: `e` the frame; `t` the turn it builds (a finished turn replaces those entries with one
 * whose `m` is the whole message); `a` when it was logged (the relay's clock). Beside the log, the hash `meta` (expiring with it) counts the bytes it
 * holds (`bytes`) and the running turn's entries (`open`), and remembers the highest seq evicted (`evicted`).
 */
const LOG = `
local seqKey, logKey, metaKey = KEYS[1], KEYS[2], KEYS[3]
local channel, epoch = ARGV[1], ARGV[2]
-- ARGV[3]: the TTL, then retentionBounds() of relay/core/replay-window.ts (oldest time kept, bytes kept), and now.
local ttl, oldestAt, keepBytes, now = string.match(ARGV[3], '^(%d+) (%d+) (%d+) (%d+)$')
oldestAt, keepBytes = tonumber(oldestAt), tonumber(keepBytes)
local maxEvents, maxEntries, maxBytes = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])

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

-- The in-process rule: evict from the oldest entry while the entries of no running turn exceed maxEvents,
-- all entries exceed maxEntries, or their bytes exceed maxBytes (but keep the newest); then retention, as
-- expired() does it: the oldest entry goes when logged before oldestAt, or while all bytes exceed keepBytes
-- (but keep the newest). Remember the highest seq evicted.
local function over(log, count)
  if count - log.open > maxEvents or count > maxEntries or (log.bytes > maxBytes and count > 1) then return true end
  return keepBytes > 0 and log.bytes > keepBytes and count > 1
end

local function trim(log)
  local count = redis.call('XLEN', logKey)
  while count > 0 do
    local oldest = redis.call('XRANGE', logKey, '-', '+', 'COUNT', 1)[1]
    local at = tonumber(field(oldest[2], 'a') or '')
    local aged = oldestAt > 0 and at ~= nil and at < oldestAt
    if not aged and not over(log, count) then break end
    remove(log, oldest)
    log.evicted = math.max(log.evicted, tonumber(string.sub(oldest[1], 3)))
    count = count - 1
  end
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
  redis.call('PEXPIRE', logKey, ttl)
  redis.call('PEXPIRE', metaKey, ttl)
  -- The seq never expires (an older relay set a TTL on it): a chat idle past the replay age continues its seq.
  redis.call('PERSIST', seqKey)
  redis.call('PUBLISH', channel, seq .. '\\n' .. fields[2])
end
`;

/**
 * The KEYS and ARGV of a log-writing script: KEYS seq, log, meta, then `keys`; ARGV channel, epoch, "ttl ms,
 * oldest kept, bytes kept, now", max events, max entries (a running turn's cap), max bytes, then `args` — the order `LOG` reads them in.
 */
export function logParams(
  chatId: string,
  epoch: string,
  limits: LogLimits,
  keys: string[],
  args: string[],
): [keys: string[], args: string[]] {
  const k = chatKeys(chatId);
  const allKeys = [k.seq, k.log, k.meta, ...keys];
  const maxEntries = limits.maxEvents * RUNNING_TURN_FACTOR;
  const now = limits.now();
  const { oldestAt, maxBytes } = retentionBounds(limits.retention, now);
  const timing = `${limits.ttlMs} ${oldestAt} ${maxBytes} ${now}`;
  const limitArgs = [timing, String(limits.maxEvents), String(maxEntries), String(limits.maxBytes)];
  return [allKeys, [k.channel, epoch, ...limitArgs, ...args]];
}

/**
 * KEYS (after the log's): active. ARGV (after the log's): event prefix, turn id ('' for an event of no turn),
 * the running record's prefix (ends with `"first_seq":`; a turn_start only), that record's ttl ms.
 * A turn_start records its turn as running; any other event of a turn is refused once that turn is not running
 * (ended elsewhere, or cut off), so nothing is logged after a turn's end. Returns the seq.
 */
export const APPEND = `${LOG}
local turnId, record = ARGV[8], ARGV[9]
if turnId ~= '' and record == '' and not running(KEYS[4], turnId) then
  return redis.error_reply('turn_not_running: turn ' .. turnId .. ' is not running')
end
local log = load()
local seq = redis.call('INCR', seqKey)
local fields = {'e', stamp(ARGV[7], seq)}
if turnId ~= '' then fields = {'e', fields[2], 't', turnId} end
append(log, seq, fields)
if record ~= '' then redis.call('SET', KEYS[4], record .. seq .. '}', 'PX', ARGV[10]) end
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
local id, now, maxAge, window = ARGV[10], tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
local seen = redis.call('HGET', acks, id)
if seen then
  local cut = string.find(seen, '|', 1, true)
  if tonumber(string.sub(seen, 1, cut - 1)) >= now - maxAge then return {0, string.sub(seen, cut + 1)} end
end
local waiting = redis.call('LRANGE', turns, 0, -1)
local bytes = #ARGV[9]
for _, entry in ipairs(waiting) do bytes = bytes + #entry end
if #waiting >= tonumber(ARGV[14]) then return {-2, #waiting .. ' ' .. bytes} end
if #waiting > 0 and bytes > tonumber(ARGV[15]) then return {-3, #waiting .. ' ' .. bytes} end
if used then
  if redis.call('SADD', used, ARGV[16]) == 0 then return {-1, ''} end
  redis.call('PEXPIRE', used, ttl)
end
local log = load()
local seq = redis.call('INCR', seqKey)
append(log, seq, {'e', stamp(ARGV[7], seq)})
local ack = ARGV[8] .. seq .. '}'
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
if ARGV[9] ~= '' then
  redis.call('RPUSH', turns, ARGV[9])
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
local turnId = ARGV[10]
if not running(KEYS[4], turnId) then return 0 end
redis.call('DEL', KEYS[4])
local log = load()
for _, entry in ipairs(redis.call('XRANGE', logKey, '0-' .. ARGV[9], '+')) do
  if field(entry[2], 't') == turnId then remove(log, entry) end
end
local seq = redis.call('INCR', seqKey)
append(log, seq, {'e', stamp(ARGV[7], seq), 'm', stamp(ARGV[8], seq)})
return seq
`;

/**
 * What a resume reads, in one step: KEYS seq, log, meta. ARGV: the seq the client has.
 * Returns {head, highest seq evicted, the entries after the client's seq}.
 */
export const REPLAY = `
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local evicted = head
if redis.call('EXISTS', KEYS[2]) == 1 then evicted = tonumber(redis.call('HGET', KEYS[3], 'evicted') or '0') end
return {head, evicted, redis.call('XRANGE', KEYS[2], '0-' .. (tonumber(ARGV[1]) + 1), '+')}
`;

/** Releases a lock only if this relay still holds it. KEYS: lock. ARGV: owner prefix. */
export const RELEASE = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
