-- llm-otel: one admission, decided and taken in one step (LocalPolicyStore's semantics on Redis).
-- KEYS: the rate-limit keys, then per budget its minute, hour and day keys, then the trace key (if any).
-- ARGV: now_ms, estimate_usd, #rates, #budgets, has_trace (1/0),
--       per rate: limit, enforced; per budget: per_minute, per_hour, per_day, enforced;
--       trace: per_trace_usd, budget_enforced, repeat_hash ('' = loop guard off), max_repeats,
--              loop_guard_enforced, idle_ms, max_repeat_hashes.
-- A rolling window is a hash: field = period number (now_ms // bucket_ms), value = the sum in that period.
-- Returns {refused (1/0), then per failed check: kind (R, B, T, L), index, window, limit, value, enforced}.
local now = tonumber(ARGV[1])
local estimate = tonumber(ARGV[2])
local nr = tonumber(ARGV[3])
local nb = tonumber(ARGV[4])
local has_trace = ARGV[5] == '1'

local function fmt(x) return string.format('%.17g', x) end

local function window(key, bucket, count)
  local cur = math.floor(now / bucket)
  local oldest = cur - count + 1
  local flat = redis.call('HGETALL', key)
  local total, stale = 0, {}
  for i = 1, #flat, 2 do
    if tonumber(flat[i]) >= oldest then total = total + tonumber(flat[i + 1]) else stale[#stale + 1] = flat[i] end
  end
  return {key = key, bucket = bucket, count = count, cur = cur, sum = total, stale = stale}
end

local function add(w, value)
  if #w.stale > 0 then redis.call('HDEL', w.key, unpack(w.stale)) end
  local field = string.format('%d', w.cur)
  local v = tonumber(redis.call('HGET', w.key, field) or '0') + value
  redis.call('HSET', w.key, field, fmt(v))
  -- The window's length: the bucket added now leaves the window no later than that.
  redis.call('PEXPIRE', w.key, w.bucket * w.count)
end

local reply = {0}
local refused = false
local function fail(kind, index, win, limit, value, enforced)
  local n = #reply
  reply[n + 1] = kind
  reply[n + 2] = tostring(index)
  reply[n + 3] = win
  reply[n + 4] = fmt(limit)
  reply[n + 5] = fmt(value)
  reply[n + 6] = enforced and '1' or '0'
  if enforced then refused = true end
end

local function exceeds(spent, cap) return spent >= cap or spent + estimate > cap end

local a = 6
local rates = {}
for i = 1, nr do
  local limit = tonumber(ARGV[a])
  local enforced = ARGV[a + 1] == '1'
  a = a + 2
  local w = window(KEYS[i], 1000, 60)
  rates[i] = w
  if w.sum >= limit then fail('R', i - 1, 'minute', limit, w.sum, enforced) end
end

local names = {'minute', 'hour', 'day'}
local buckets = {1000, 60000, 3600000}
local counts = {60, 60, 24}
local budgets = {}
for i = 1, nb do
  local enforced = ARGV[a + 3] == '1'
  for j = 1, 3 do
    local cap = tonumber(ARGV[a + j - 1])
    local w = window(KEYS[nr + 3 * (i - 1) + j], buckets[j], counts[j])
    budgets[#budgets + 1] = w
    if cap > 0 and exceeds(w.sum, cap) then fail('B', i - 1, names[j], cap, w.sum, enforced) end
  end
  a = a + 4
end

local trace_key, spent, hash, idle, max_hashes
if has_trace then
  trace_key = KEYS[nr + 3 * nb + 1]
  local per_trace = tonumber(ARGV[a])
  local budget_enforced = ARGV[a + 1] == '1'
  hash = ARGV[a + 2]
  local max_repeats = tonumber(ARGV[a + 3])
  local loop_enforced = ARGV[a + 4] == '1'
  idle = tonumber(ARGV[a + 5])
  max_hashes = tonumber(ARGV[a + 6])
  spent = tonumber(redis.call('HGET', trace_key, '$') or '0')
  if per_trace > 0 and exceeds(spent, per_trace) then fail('T', 0, 'trace', per_trace, spent, budget_enforced) end
  if hash ~= '' then
    local seen = tonumber(redis.call('HGET', trace_key, 'h:' .. hash) or '0') + 1
    if seen > max_repeats then fail('L', 0, 'trace', max_repeats, seen, loop_enforced) end
  end
  -- A trace's state lives while the trace is active: every call, admitted or not, keeps it.
  redis.call('PEXPIRE', trace_key, idle)
end

if refused then
  reply[1] = 1
  return reply
end

-- Nothing enforced failed: take everything this call asked for, in the same step.
for i = 1, nr do add(rates[i], 1) end
for k = 1, #budgets do add(budgets[k], estimate) end
if has_trace then
  redis.call('HSET', trace_key, '$', fmt(spent + estimate))
  if hash ~= '' then
    local f = 'h:' .. hash
    if redis.call('HEXISTS', trace_key, f) == 1 then
      redis.call('HINCRBY', trace_key, f, 1)
    else
      -- At most max_hashes request hashes per trace: past that, the oldest remembered one is replaced.
      local n = redis.call('HINCRBY', trace_key, 'n', 1) - 1
      local slot = 's:' .. (n % max_hashes)
      local old = redis.call('HGET', trace_key, slot)
      if old then redis.call('HDEL', trace_key, 'h:' .. old) end
      redis.call('HSET', trace_key, slot, hash, f, 1)
    end
  end
  redis.call('PEXPIRE', trace_key, idle)
end
return reply
