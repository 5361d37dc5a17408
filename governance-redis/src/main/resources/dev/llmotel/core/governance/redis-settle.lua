-- llm-otel: settles one reservation to the call's real cost, in one step.
-- KEYS: per budget its minute, hour and day keys, then the trace key (if any).
-- ARGV: reserved_at_ms, now_ms, delta_usd, #budgets, has_trace (1/0).
-- The difference goes to the bucket the estimate was added to while that bucket is still in its
-- window; once it has left the window, so has the estimate, and nothing is changed.
local at = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local delta = tonumber(ARGV[3])
local nb = tonumber(ARGV[4])
local buckets = {1000, 60000, 3600000}
local counts = {60, 60, 24}
local function fmt(x) return string.format('%.17g', x) end
for i = 1, nb do
  for j = 1, 3 do
    local key = KEYS[3 * (i - 1) + j]
    local period = math.floor(at / buckets[j])
    if period >= math.floor(now / buckets[j]) - counts[j] + 1 then
      local field = string.format('%d', period)
      local v = redis.call('HGET', key, field)
      if v then redis.call('HSET', key, field, fmt(tonumber(v) + delta)) end
    end
  end
end
if ARGV[5] == '1' then
  local key = KEYS[3 * nb + 1]
  local v = redis.call('HGET', key, '$')
  if v then redis.call('HSET', key, '$', fmt(tonumber(v) + delta)) end
end
return 1
