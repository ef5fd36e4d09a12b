#!/usr/bin/env bash
# Benchmark: the simulators must not be what limits Harvest's benchmarks (issue: Octoparse >= 400,000
# rows/s served in 1,000-row pages; Oxylabs >= 10,000 status polls/s), measured on loopback with wrk
# against `harvest simulate` (release build). Baseline in the same run: the smallest authenticated
# endpoint (callbacker_ips), i.e. what the HTTP stack itself serves.
# Usage: scripts/bench-simulator.sh [SECONDS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
runs=${2:-3}
binary=.build/release/harvest
[ -x "$binary" ] || swift build -c release
command -v wrk >/dev/null || { sudo=$([ "$(id -u)" = 0 ] || echo sudo); $sudo apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d)
"$binary" simulate --large-task-rows 1000000 >"$work/sim.out" 2>"$work/sim.err" &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$work"' EXIT
while [ "$(wc -l <"$work/sim.out")" -lt 2 ]; do sleep 0.1; done
eval "$(sed -n 's/^oxylabs /ox_/; s/ username=/ ox_username=/; s/ password=/ ox_password=/p' "$work/sim.out" | head -1)"
eval "$(sed -n 's/^octoparse /oc_/; s/ username=/ oc_username=/; s/ password=/ oc_password=/p' "$work/sim.out" | tail -1)"

# 1,000 Oxylabs jobs to poll.
python3 - "$ox_base_url" "$ox_username" "$ox_password" "$work/ids.lua" <<'PY'
import base64, json, sys, urllib.request
base, user, password, out = sys.argv[1:]
auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
body = json.dumps({"source": "universal", "url": [f"https://example.com/{i}" for i in range(1000)]}).encode()
request = urllib.request.Request(base + "/v1/queries/batch", body, {"Authorization": auth, "Content-Type": "application/json"})
ids = [job["id"] for job in json.load(urllib.request.urlopen(request))["queries"]]
with open(out, "w") as f:
    f.write("ids = {" + ",".join(f'"{i}"' for i in ids) + "}\n")
    f.write(f'auth = "{auth}"\n')
PY
cat >"$work/poll.lua" <<LUA
dofile("$work/ids.lua")
counter = 0
request = function()
    counter = counter + 1
    return wrk.format("GET", "/v1/queries/" .. ids[(counter % #ids) + 1], {["Authorization"] = auth})
end
LUA
cat >"$work/ips.lua" <<LUA
dofile("$work/ids.lua")
request = function() return wrk.format("GET", "/v1/info/callbacker_ips", {["Authorization"] = auth}) end
LUA

token=$(curl -s -X POST "$oc_base_url/token" --data-urlencode grant_type=password \
    --data-urlencode "username=$oc_username" --data-urlencode "password=$oc_password" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
task=$(curl -s "$oc_base_url/__sim/tasks" | python3 -c '
import json, sys
print(next(t["id"] for t in json.load(sys.stdin)["tasks"] if t["kind"] == "large"))')
cat >"$work/pages.lua" <<LUA
counter = 0
request = function()
    counter = counter + 1
    local page = (counter % 1000) + 1
    return wrk.format("GET", "/api/alldata/GetDataOfTaskByTimeAndPaging?taskid=$task&from=2025-01-01%2000:00:00&to=2027-01-01%2000:00:00&pageindex=" .. page .. "&pagesize=1000",
        {["Authorization"] = "bearer $token"})
end
LUA

rss() { awk '/VmRSS/ {print $2}' "/proc/$sim/status"; }
rate() { wrk -t2 -c"$1" -d"${seconds}s" -s "$2" "$3" | awk '/Requests\/sec/ {print $2}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

rss_before=$(rss)
polls=(); baseline=(); pages=()
for _ in $(seq "$runs"); do
    polls+=("$(rate 64 "$work/poll.lua" "$ox_base_url")")
    baseline+=("$(rate 64 "$work/ips.lua" "$ox_base_url")")
    pages+=("$(rate 8 "$work/pages.lua" "$oc_base_url")")
done
rss_after=$(rss)
peak=$(awk '/VmHWM/ {print $2}' "/proc/$sim/status")
bytes=$(curl -s -H "Authorization: bearer $token" "$oc_base_url/api/alldata/GetDataOfTaskByTimeAndPaging?taskid=$task&from=2025-01-01%2000:00:00&to=2027-01-01%2000:00:00&pageindex=7&pagesize=1000" | wc -c)

p=$(printf '%s\n' "${polls[@]}" | median)
b=$(printf '%s\n' "${baseline[@]}" | median)
g=$(printf '%s\n' "${pages[@]}" | median)
echo "simulators on loopback, wrk -t2, ${seconds}s per run, median of $runs runs (runs in parentheses)"
echo "  oxylabs status polls (64 connections, 1,000 jobs):  $p req/s  (${polls[*]})"
echo "  baseline: oxylabs callbacker_ips (64 connections):  $b req/s  (${baseline[*]})"
awk -v g="$g" -v bytes="$bytes" -v pages="${pages[*]}" 'BEGIN {
    printf "  octoparse 1,000-row pages by storage time (8 connections): %.0f pages/s = %.0f rows/s, %.1f MB/s of JSON  (%s)\n", g, g * 1000, g * bytes / 1e6, pages }'
echo "  simulator RSS: ${rss_before} kB before, ${rss_after} kB after, peak ${peak} kB (1,000,000-row task)"
