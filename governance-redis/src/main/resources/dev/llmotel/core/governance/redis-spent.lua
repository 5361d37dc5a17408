-- llm-otel: what one budget holds now, reservations included: USD in its minute, hour and day windows.
-- KEYS: the budget's minute, hour and day keys. ARGV: now_ms.
local now = tonumber(ARGV[1])
local buckets = {1000, 60000, 3600000}
local counts = {60, 60, 24}
local out = {}
for j = 1, 3 do
  local oldest = math.floor(now / buckets[j]) - counts[j] + 1
  local flat = redis.call('HGETALL', KEYS[j])
  local total = 0
  for i = 1, #flat, 2 do
    if tonumber(flat[i]) >= oldest then total = total + tonumber(flat[i + 1]) end
  end
  out[j] = string.format('%.17g', total)
end
return out
