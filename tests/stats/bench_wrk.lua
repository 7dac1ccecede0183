-- wrk script of tests/bench/stats.sh: POST valid, distinct batches on keep-alive connections.
-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk ... -s tests/stats/bench_wrk.lua URL -- TOKENS-FILE NEWEST-MONDAY-EPOCH THREADS
-- Request i goes to kiosk i mod K (tokens from the file, one a line) for the week i div K weeks
-- before the newest Monday, so no two requests share a kiosk and bucket: every one is stored.

local threads = {}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

local tokens = {}
local counter = 0
local newest, nthreads

local langs = {"en", "es", "fr", "ar", "hi", "bn", "ur", "ne", "my", "km", "th", "vi", "tl",
               "id", "zh", "ru", "uk", "ro", "pt", "sw", "am", "ti", "so", "si", "ta"}
local pages = {"rights", "passport", "wages", "debt", "recruitment", "movement", "threats",
               "hours", "help", "call", "housing", "visa", "children", "health", "about"}

function init(args)
    for line in io.lines(args[1]) do
        tokens[#tokens + 1] = line
    end
    newest = tonumber(args[2])
    nthreads = tonumber(args[3])
end

-- The dense counter set a kiosk sends: six fixed counters, 25 languages, 15 pages.
local function counts(i)
    local t = {
        string.format('"sessions":%d', i % 60),
        string.format('"quick_exit":%d', i % 4),
        string.format('"read_aloud":%d', i % 7),
        string.format('"call.attempted":%d', i % 5),
        string.format('"call.connected":%d', i % 3),
        string.format('"call.failed":%d', i % 2),
    }
    for j, l in ipairs(langs) do
        t[#t + 1] = string.format('"lang.%s":%d', l, (i + j * 7) % 9 - 2)
    end
    for j, p in ipairs(pages) do
        t[#t + 1] = string.format('"page.%s":%d', p, (i + j * 5) % 12 - 2)
    end
    return table.concat(t, ",")
end

function request()
    local i = counter * nthreads + tid
    counter = counter + 1
    local k = i % #tokens
    local w = math.floor(i / #tokens)
    local start = newest - w * 7 * 86400
    local day = os.date("!%Y-%m-%d", start)
    -- The batch id names the kiosk and the bucket: one id per bucket, never reused.
    local body = string.format(
        '{"schema":1,"batch":"%016x%016x","bucket":{"start":"%s","days":7},' ..
        '"noise":{"mech":"geometric","epsilon":1.0},"counts":{%s}}',
        k, 1000000 + math.floor(start / 86400), day, counts(i))
    return wrk.format("POST", "/api/v1/batches",
        {["Authorization"] = "Bearer " .. tokens[k + 1], ["Content-Type"] = "application/json"},
        body)
end
