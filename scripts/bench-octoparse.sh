#!/usr/bin/env bash
# Benchmark (issue 5): Octoparse rows from the fake into SQLite end to end — HTTP, decoding, row identity,
# normalization, commit — with `harvest tasks sync` (release build) on the large task (7 fields), against
# the machine's limit measured in the same run: a bulk insert of the same rows, already parsed, with one
# prepared statement in 1,000-row transactions (harvest-bench). Peak memory from /usr/bin/time.
# Targets: >= 200,000 rows/s end to end, >= 40% of the limit, peak RSS < 100 MiB at 100k and 1M rows; and
# (issue 13) within 10% of that under either reading of what a by-time `total` counts (the window or the
# whole task), with the by-time requests each sync made (from the fake's /__sim/stats).
# Usage: scripts/bench-octoparse.sh [RUNS] — READINGS="window task" and ROWS="100000 1000000" by default.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[ -x .build/release/harvest ] && [ -x .build/release/harvest-bench ] || swift build -c release
root=$(mktemp -d)
sims=()
trap 'for pid in "${sims[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$root"' EXIT

median() { sort -g | awk '{ values[NR] = $1 } END { print values[int((NR + 1) / 2)] }'; }

by_time_requests() {
    curl -s "$1/__sim/stats" | python3 -c '
import json, sys
print(json.load(sys.stdin)["requests"].get("GET /api/alldata/GetDataOfTaskByTimeAndPaging", 0))'
}

for reading in ${READINGS:-window task}; do
work="$root/$reading"
mkdir -p "$work"
for rows in ${ROWS:-100000 1000000}; do
    sim="$work/sim-$rows"
    .build/release/harvest simulate --oxylabs-port 0 --octoparse-port 0 --large-task-rows "$rows" \
        --by-time-total "$reading" >"$sim.out" 2>"$sim.err" &
    sims+=($!)
    while [ "$(wc -l <"$sim.out")" -lt 2 ]; do sleep 0.1; done
    base=$(sed -n "s/^octoparse base_url='\([^']*\)'.*/\1/p" "$sim.out")
    for _ in $(seq 50); do curl -sf "$base/__sim/tasks" >"$work/tasks.json" && break; sleep 0.1; done
    task=$(python3 -c '
import json, sys
print(next(t["id"] for t in json.load(sys.stdin)["tasks"] if t["kind"] == "large"))' <"$work/tasks.json")
    curl -s "$base/__sim/tasks/$task/rows" >"$work/rows-$rows.jsonl"
    : >"$work/e2e-$rows"; : >"$work/rss-$rows"; : >"$work/limit-$rows"; : >"$work/requests-$rows"
    for run in $(seq "$runs"); do
        db="$work/harvest-$rows-$run.sqlite"
        env OCTOPARSE_BASE_URL="$base" OCTOPARSE_USERNAME=harvest-demo OCTOPARSE_PASSWORD='p&ss+w%rd 1' \
            .build/release/harvest tasks add "$task" --db "$db" >/dev/null
        before=$(by_time_requests "$base")
        start=$(date +%s.%N)
        env OCTOPARSE_BASE_URL="$base" OCTOPARSE_USERNAME=harvest-demo OCTOPARSE_PASSWORD='p&ss+w%rd 1' \
            /usr/bin/time -f '%M' -o "$work/time" \
            .build/release/harvest tasks sync "$task" --db "$db" --octoparse-rate 100000 2>/dev/null
        end=$(date +%s.%N)
        echo $(( $(by_time_requests "$base") - before )) >>"$work/requests-$rows"
        stored=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT rows_harvested FROM octoparse_tasks").fetchone()[0])' "$db")
        [ "$stored" = "$rows" ] || { echo "stored $stored rows, expected $rows" >&2; exit 1; }
        python3 -c "print(f'{$rows / ($end - $start):.0f}')" >>"$work/e2e-$rows"
        echo $(( $(tail -1 "$work/time") / 1024 )) >>"$work/rss-$rows"
        .build/release/harvest-bench bulk-insert "$work/rows-$rows.jsonl" "$work/limit-$rows-$run.sqlite" |
            sed -n 's/.*rows_per_second=//p' >>"$work/limit-$rows"
    done
    e2e=$(median <"$work/e2e-$rows"); limit=$(median <"$work/limit-$rows"); rss=$(median <"$work/rss-$rows")
    requests=$(median <"$work/requests-$rows")
    printf 'total=%-6s rows=%-8s end-to-end %7s rows/s   bulk-insert limit %7s rows/s   ratio %s   peak RSS %s MiB   by-time requests %s   (median of %s)\n' \
        "$reading" "$rows" "$e2e" "$limit" "$(python3 -c "print(f'{$e2e / $limit:.2f}')")" "$rss" "$requests" "$runs"
    kill "${sims[-1]}" 2>/dev/null || true
done
done
