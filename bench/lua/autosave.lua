-- Autosave as the page sends it: PUT /api/v1/candidate/answers/incident-postmortem with the session cookie, the
-- CSRF token in X-XSRF-TOKEN and ~2 KB of Markdown; each request a different candidate, revisions rising.
local first = tonumber(os.getenv("BENCH_FIRST") or "1")
local count = tonumber(os.getenv("BENCH_COUNT") or "1")
local target = os.getenv("BENCH_TARGET") or "app"
local text = string.rep("Markdown autosave text with `code`, *emphasis* and a list:\\n\\n- one\\n- two\\n\\n", 25)
local base = os.time() * 1000000 -- microseconds: a faster warm-up that laps the candidates still stays below the measured run's revisions
local i = 0
request = function()
  i = i + 1
  local id = first + (i % count)
  local rev = string.format("%d", base + i)
  local body = '{"rev": ' .. rev .. ', "sections": {"summary": "' .. text .. rev .. '"}}'
  if target == "ref" then
    return wrk.format("PUT", "/upsert/" .. id, { ["Content-Type"] = "application/json" }, body)
  end
  return wrk.format("PUT", "/api/v1/candidate/answers/incident-postmortem", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "gameday=bench-session-" .. id .. "; XSRF-TOKEN=bench-csrf-" .. id,
    ["X-XSRF-TOKEN"] = "bench-csrf-" .. id,
  }, body)
end
