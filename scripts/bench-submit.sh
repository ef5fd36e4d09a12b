#!/usr/bin/env bash
# Benchmark: `harvest jobs submit --file` of 100,000 jobs (issue: at least 50,000 jobs/s enqueued).
#
# Runs the release binary RUNS times on a fresh database each time and reports the median, beside a
# baseline measured in the same run: a plain Python script (standard json and sqlite3 modules) that
# parses the same file and inserts the same columns in one transaction, without Harvest's validation.
# Usage: scripts/bench-submit.sh [JOBS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-100000}
runs=${2:-5}
binary=.build/release/harvest
[ -x "$binary" ] || swift build -c release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/jobs.jsonl" "$jobs" <<'PY'
import json, sys
path, count = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(count):
        if i % 3 == 0:
            job = {"source": "google_search", "query": f"shoes {i}", "parse": True, "geo_location": "United States"}
        elif i % 3 == 1:
            job = {"source": "universal", "url": f"https://example.com/p/{i}", "render": "html"}
        else:
            job = {"source": "amazon_product", "query": f"B0{i:08d}", "parse": True,
                   "context": [{"key": "autoselect_variant", "value": True}]}
        f.write(json.dumps(job) + "\n")
PY

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

harvest_times=()
peak_kb=()
for _ in $(seq "$runs"); do
    rm -f "$work"/h.sqlite*
    "$binary" migrate --db "$work/h.sqlite" >/dev/null
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/mem" "$binary" jobs submit --db "$work/h.sqlite" --file "$work/jobs.jsonl" >/dev/null
    end=$(date +%s.%N)
    harvest_times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')")
    peak_kb+=("$(cat "$work/mem")")
    stored=$("$binary" query --db "$work/h.sqlite" "SELECT COUNT(*) FROM oxylabs_jobs" --csv | tail -1 | tr -d '\r')
    [ "$stored" = "$jobs" ] || { echo "expected $jobs jobs, found $stored" >&2; exit 1; }
done

python_times=()
for _ in $(seq "$runs"); do
    rm -f "$work"/p.sqlite*
    "$binary" migrate --db "$work/p.sqlite" >/dev/null
    python_times+=("$(python3 - "$work/jobs.jsonl" "$work/p.sqlite" <<'PY'
import json, sqlite3, sys, time
start = time.perf_counter()
db = sqlite3.connect(sys.argv[2], isolation_level=None)
db.execute("PRAGMA synchronous = NORMAL")
rows = []
with open(sys.argv[1]) as f:
    for line in f:
        job = json.loads(line)
        rows.append((job["source"], job.get("url"), job.get("query"), line.strip(), "raw", "k", "t", "t", "t"))
db.execute("BEGIN")
db.executemany("INSERT INTO oxylabs_jobs (source, url, query, payload, result_types, batch_key, "
               "next_action_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)", rows)
db.execute("COMMIT")
print(time.perf_counter() - start)
PY
)")
done

h=$(printf '%s\n' "${harvest_times[@]}" | median)
p=$(printf '%s\n' "${python_times[@]}" | median)
m=$(printf '%s\n' "${peak_kb[@]}" | median)
printf 'jobs submit --file, %d jobs, median of %d runs (whole process: start, validate, insert, exit)\n' "$jobs" "$runs"
awk -v n="$jobs" -v h="$h" -v p="$p" -v m="$m" -v runs="${harvest_times[*]}" 'BEGIN {
    printf "  harvest: %.2f s = %6.0f jobs/s   peak RSS %.1f MiB   (runs: %s)\n", h, n / h, m / 1024, runs
    printf "  python baseline (json + sqlite3, no validation): %.2f s = %6.0f jobs/s\n", p, n / p
}'
