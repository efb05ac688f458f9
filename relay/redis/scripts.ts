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
-- Whether turnId is the chat's running turn: its record is written with its turn_start and deleted with its turn_end.
local function running(activeKey, turnId)
  local record = redis.call('GET', activeKey)
  return record ~= false and cjson.decode(record).turn_id == turnId
end
-- Entry fields: e = the frame; t = the turn it builds, for the entries a finished turn replaces with its message.
local function append(seqKey, logKey, channel, prefix, epoch, maxlen, ttl, turnId)
  local seq = redis.call('INCR', seqKey)
  local frame = stamp(prefix, seq, epoch)
  local fields = {'e', frame}
  if turnId ~= '' then fields = {'e', frame, 't', turnId} end
  redis.call('XADD', logKey, 'MAXLEN', '~', maxlen, '0-' .. seq, unpack(fields))
  -- The seq never expires (an older relay set a TTL on it): a chat idle past the replay age continues its seq.
  redis.call('PERSIST', seqKey)
  redis.call('PEXPIRE', logKey, ttl)
  redis.call('PUBLISH', channel, seq .. '\\n' .. frame)
  return seq, frame
end
`;

/**
 * KEYS: seq, log, active. ARGV: channel, event prefix, epoch, maxlen, ttl ms, turn id ('' for an event of no turn),
 * the running record's prefix (ends with `"first_seq":`; a turn_start only), that record's ttl ms.
 * A turn_start records its turn as running; any other event of a turn is refused once that turn is not running
 * (ended elsewhere, or cut off), so nothing is logged after a turn's end. Returns the seq.
 */
export const APPEND = `${STAMP}
local turnId, record = ARGV[6], ARGV[7]
if turnId ~= '' and record == '' and not running(KEYS[3], turnId) then
  return redis.error_reply('turn_not_running: turn ' .. turnId .. ' is not running')
end
local seq = append(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], turnId)
if record ~= '' then redis.call('SET', KEYS[3], record .. seq .. '}', 'PX', ARGV[8]) end
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
local seq = append(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], '')
local ack = ARGV[6] .. seq .. '}'
redis.call('SET', KEYS[3], ack, 'PX', ARGV[8])
redis.call('RPUSH', KEYS[4], ARGV[7])
redis.call('PEXPIRE', KEYS[4], ARGV[5])
return {1, ack}
`;

/**
 * Ends a running turn exactly once, whichever relay gets there first (its runner, or one repairing it): deletes
 * its running record, appends `turn_end` storing beside it the whole message (field `m`) and the turn's first
 * seq (field `f`) for replay, and deletes the turn's other entries.
 * KEYS: seq, log, active. ARGV: channel, turn_end prefix, epoch, maxlen, ttl ms, message event prefix, first seq, turn id.
 * Returns the turn_end's seq, or 0 when the turn was not running (already ended).
 */
export const END_TURN = `${STAMP}
local turnId = ARGV[8]
if not running(KEYS[3], turnId) then return 0 end
redis.call('DEL', KEYS[3])
local own = {}
for _, entry in ipairs(redis.call('XRANGE', KEYS[2], '0-' .. ARGV[7], '+')) do
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 't' and fields[i + 1] == turnId then own[#own + 1] = entry[1] end
  end
  if #own == 500 then redis.call('XDEL', KEYS[2], unpack(own)); own = {} end
end
if #own > 0 then redis.call('XDEL', KEYS[2], unpack(own)) end
local seq = redis.call('INCR', KEYS[1])
local frame = stamp(ARGV[2], seq, ARGV[3])
local message = stamp(ARGV[6], seq, ARGV[3])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '0-' .. seq, 'e', frame, 'm', message, 'f', ARGV[7])
redis.call('PERSIST', KEYS[1])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('PUBLISH', ARGV[1], seq .. '\\n' .. frame)
return seq
`;

/** Releases a lock only if this relay still holds it. KEYS: lock. ARGV: owner prefix. */
export const RELEASE = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
