-- wrk script for bench/http: every request carries a token the server has not seen
-- recently, so a server with a token cache misses it on every request.
--
--   wrk ... -s distinct_tokens.lua URL -- TOKENS_FILE THREADS
--
-- TOKENS_FILE holds one token a line. With T threads, thread k (0-based) sends the
-- tokens on lines k+1, k+1+T, k+1+2T, ... in turn and starts over at the end, so no two
-- threads share a token and a token comes back only after every other token of the
-- file has been sent once (about): with more tokens than the server's cache holds,
-- and a cache that drops the least recently used, each request is a miss. Each
-- request is `GET URL` with `Authorization: Bearer <token>`.

local counter = 0

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
end

function init(args)
  local path, threads = args[1], tonumber(args[2])
  tokens, next_token = {}, 1
  local line_number = 0
  for line in io.lines(path) do
    if line_number % threads == thread_index and line ~= "" then
      tokens[#tokens + 1] = "Bearer " .. line
    end
    line_number = line_number + 1
  end
  if #tokens == 0 then
    error("no tokens for thread " .. thread_index .. " in " .. path)
  end
end

function request()
  local authorization = tokens[next_token]
  next_token = next_token % #tokens + 1
  return wrk.format("GET", wrk.path, { Authorization = authorization })
end
