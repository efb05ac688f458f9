/** Lua scripts that make each shared-chat write atomic in Redis: stamp seq, log, publish, remember acks, queue turns. */

/**
 * Frames are stored and published ready to send. The caller passes an event's JSON without its
 * closing brace; the script appends `"seq"` and `"epoch"`, so no relay re-serializes a frame.
 * Published messages are `<seq>\n<frame>` so readers can order and dedupe without parsing JSON.
 */
const STAMP = `
local function stamp(prefix, seq, epoch)
  return prefix .. ',"seq":' .. seq .. ',"epoch":"' .. epoch .. '"}'
end
local function append(seqKey, logKey, channel, prefix, epoch, maxlen, ttl)
  local seq = redis.call('INCR', seqKey)
  local frame = stamp(prefix, seq, epoch)
  redis.call('XADD', logKey, 'MAXLEN', '~', maxlen, '0-' .. seq, 'e', frame)
  redis.call('PEXPIRE', seqKey, ttl)
  redis.call('PEXPIRE', logKey, ttl)
  redis.call('PUBLISH', channel, seq .. '\\n' .. frame)
  return seq, frame
end
`;

/** KEYS: seq, log. ARGV: channel, event prefix, epoch, maxlen, ttl ms. Returns the seq. */
export const APPEND = `${STAMP}
local seq = append(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
return seq
`;

/**
 * A user message (or a button press) accepted once: KEYS: seq, log, ack, turns, [used].
 * ARGV: channel, event prefix, epoch, maxlen, ttl ms, ack prefix (ends with `"seq":`), turn JSON, ack ttl ms, [used member].
 * Returns {1, ack} when accepted now, {0, ack} for a repeat, {-1, ''} when the button was already pressed.
 */
export const ACCEPT = `${STAMP}
local seen = redis.call('GET', KEYS[3])
if seen then return {0, seen} end
if KEYS[5] then
  if redis.call('SADD', KEYS[5], ARGV[9]) == 0 then return {-1, ''} end
  redis.call('PEXPIRE', KEYS[5], ARGV[5])
end
local seq = append(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
local ack = ARGV[6] .. seq .. '}'
redis.call('SET', KEYS[3], ack, 'PX', ARGV[8])
redis.call('RPUSH', KEYS[4], ARGV[7])
redis.call('PEXPIRE', KEYS[4], ARGV[5])
return {1, ack}
`;

/**
 * Ends a turn: appends `turn_end`, storing beside it the whole message (field `m`) and the turn's first seq
 * (field `f`) for replay, then deletes the turn's other entries.
 * KEYS: seq, log. ARGV: channel, turn_end prefix, epoch, maxlen, ttl ms, message event prefix, first seq, ids to delete…
 */
export const END_TURN = `${STAMP}
local seq = redis.call('INCR', KEYS[1])
local frame = stamp(ARGV[2], seq, ARGV[3])
local message = stamp(ARGV[6], seq, ARGV[3])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '0-' .. seq, 'e', frame, 'm', message, 'f', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('PUBLISH', ARGV[1], seq .. '\\n' .. frame)
local ids = {}
for i = 8, #ARGV do
  ids[#ids + 1] = ARGV[i]
  if #ids == 500 then redis.call('XDEL', KEYS[2], unpack(ids)); ids = {} end
end
if #ids > 0 then redis.call('XDEL', KEYS[2], unpack(ids)) end
return seq
`;

/** Releases a lock only if this relay still holds it. KEYS: lock. ARGV: owner prefix. */
export const RELEASE = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
