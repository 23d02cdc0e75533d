-- wrk: cycles through the paths of $BENCH_PATHS, each thread from its own offset, with the token.
local paths, n = {}, 0
local token = os.getenv("BENCH_TOKEN")
for line in io.lines(os.getenv("BENCH_PATHS")) do n = n + 1; paths[n] = line end
local counter = 0
function setup(thread) counter = counter + 1; thread:set("offset", counter * 7919) end
local i = 0
function request()
  i = i + 1
  local path = paths[((i + (offset or 0)) % n) + 1]
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
