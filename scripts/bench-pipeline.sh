#!/usr/bin/env bash
# Benchmark (issue 4): JOBS jobs through `harvest serve --until-idle` against the simulator with
# log-normal latency (median 3 s, sigma 0.5) and submissions limited to 100 jobs/s. Three runs in the
# same simulator: the adaptive poll schedule without callbacks, with callbacks, and the baseline of a
# fixed 5 s poller (what Oxylabs' examples and SDK do). Reports wall time against the ideal (the
# slowest job's latency plus JOBS/100 s of rate-limited submission), peak RSS of harvest, status
# polls per job, and mean detection delay (upstream finish -> Harvest sees it).
# Usage: scripts/bench-pipeline.sh [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-10000}
binary=$PWD/.build/release/harvest
[ -x "$binary" ] || swift build -c release
work=$(mktemp -d)
"$binary" simulate --latency-median 3s --latency-sigma 0.5 --submissions-per-second 100 >"$work/sim.out" 2>/dev/null &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$work"' EXIT
while [ "$(wc -l <"$work/sim.out")" -lt 2 ]; do sleep 0.1; done
eval "$(sed -n 's/^oxylabs //p' "$work/sim.out")"
export OXYLABS_BASE_URL=$base_url OXYLABS_USERNAME=$username OXYLABS_PASSWORD=$password
python3 -c "
import json
with open('$work/jobs.jsonl', 'w') as f:
    for i in range($jobs):
        f.write(json.dumps({'source': 'universal', 'url': f'https://example.com/bench/{i}'}) + '\n')
"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

run() {
    local name=$1; shift
    local db="$work/$name.sqlite"
    "$binary" jobs submit --db "$db" --file "$work/jobs.jsonl" >/dev/null
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/$name.mem" "$binary" serve --db "$db" --until-idle --listen "127.0.0.1:$port" "$@" 2>"$work/$name.err"
    end=$(date +%s.%N)
    curl -s "$base_url/__sim/jobs" >"$work/truth.json"
    python3 - "$name" "$db" "$work/truth.json" "$start" "$end" "$(cat "$work/$name.mem")" "$jobs" <<'PY'
import json, sqlite3, sys, datetime
name, db, truth_path, start, end, mem_kb, jobs = sys.argv[1:]
jobs = int(jobs)
def t(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
truth = {job["id"]: job for job in json.load(open(truth_path))["jobs"]}
rows = sqlite3.connect(db).execute(
    "SELECT remote_id, status, polls, detected_at, submitted_at FROM oxylabs_jobs").fetchall()
done = [r for r in rows if r[1] == "done"]
polls = sum(r[2] for r in rows)
delays = [t(r[3]) - t(truth[r[0]]["finishes_at"]) for r in done if r[3] and r[0] in truth]
latencies = [t(truth[r[0]]["finishes_at"]) - t(truth[r[0]]["created_at"]) for r in done if r[0] in truth]
wall = float(end) - float(start)
ideal = max(latencies) + jobs / 100
print(f"{name:10} done {len(done):6}/{jobs}  wall {wall:6.1f} s  ideal {ideal:6.1f} s  ratio {wall / ideal:4.2f}  "
      f"peak RSS {int(mem_kb) / 1024:5.1f} MiB  polls/job {polls / jobs:5.2f}  "
      f"mean detection delay {sum(delays) / len(delays):5.2f} s")
PY
}

echo "harvest serve --until-idle, $jobs jobs, simulator latency log-normal (median 3 s, sigma 0.5), 100 submissions/s"
run adaptive
run callbacks --public-url "http://127.0.0.1:$port"
run fixed-5s --fixed-poll-interval 5s
