-- GET BENCH_PATH as a different candidate on every request (cookie gameday=bench-session-<id>), ids
-- BENCH_FIRST .. BENCH_FIRST + BENCH_COUNT - 1. With BENCH_COOKIE set, every request uses that one cookie.
local first = tonumber(os.getenv("BENCH_FIRST") or "1")
local count = tonumber(os.getenv("BENCH_COUNT") or "1")
local path = os.getenv("BENCH_PATH") or "/"
local fixed = os.getenv("BENCH_COOKIE")
local i = 0
request = function()
  i = i + 1
  local cookie = fixed or ("gameday=bench-session-" .. (first + (i % count)))
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end
