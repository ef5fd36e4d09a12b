#!/usr/bin/env bash
# `make demo`: a tour of what Harvest does today, on a fresh demo.sqlite in the current directory.
#
# It enqueues a mixed set of Oxylabs jobs (flags, parse, render png, a JSON Lines batch), registers
# Octoparse tasks, starts the built-in simulators, runs `harvest serve --until-idle` against them, and
# shows the admin commands and SQL a user runs. (Octoparse harvesting lands with the next issue: the
# tasks are registered but not yet synced.)
set -euo pipefail
cd "$(dirname "$0")/.."
harvest=${HARVEST:-.build/debug/harvest}
[ -x "$harvest" ] || swift build
export HARVEST_DB=${HARVEST_DB:-demo.sqlite}
rm -f "$HARVEST_DB" "$HARVEST_DB-wal" "$HARVEST_DB-shm"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$harvest" migrate
step "$harvest" jobs submit --source universal --url https://example.com/ --param render=html
step "$harvest" jobs submit --source google_search --query "adidas shoes" --param parse=true \
    --param geo_location="United States" --idempotency-key demo-search
echo "(the same command again returns the same job:)"
step "$harvest" jobs submit --source google_search --query "adidas shoes" --param parse=true \
    --param geo_location="United States" --idempotency-key demo-search
step "$harvest" jobs submit --source universal --url https://example.com/pricing --param render=png

batch=$(mktemp)
trap 'rm -f "$batch"' EXIT
for sku in B07FZ8S74R B08N5WRWNW B09G9FPHY6; do
    printf '{"source":"amazon_product","query":"%s","parse":true,"geo_location":"90210"}\n' "$sku" >>"$batch"
done
step "$harvest" jobs submit --file "$batch"
step "$harvest" jobs cancel 1
step "$harvest" jobs list

echo
echo "(starting the built-in Oxylabs and Octoparse simulators on free loopback ports)"
simulator_output=$(mktemp)
"$harvest" simulate --latency-median 1s --faulted-share 0.1 >"$simulator_output" 2>/dev/null &
simulator=$!
trap 'kill $simulator 2>/dev/null; rm -f "$batch" "$simulator_output"' EXIT
while [ "$(wc -l <"$simulator_output")" -lt 2 ]; do sleep 0.1; done
cat "$simulator_output"
eval "$(sed -n 's/^oxylabs //p' "$simulator_output")"
export OXYLABS_BASE_URL=$base_url OXYLABS_USERNAME=$username OXYLABS_PASSWORD=$password
step "$harvest" serve --until-idle --listen 127.0.0.1:0
step "$harvest" jobs list
step "$harvest" query "SELECT j.id, j.source, r.type, r.page, r.status_code, r.bytes FROM oxylabs_results r JOIN oxylabs_jobs j ON j.id = r.job_id ORDER BY j.id"
step "$harvest" query "SELECT job_id, json_extract(content, '\$.parse_status_code') AS parse_status FROM oxylabs_results WHERE type = 'parsed'"
step "$harvest" jobs results 2 --type parsed
echo

step "$harvest" tasks add 6a1b2c3d-4e5f-6789-abcd-ef0123456789 --name "Prices EU" --from "2026-11-01 00:00:00"
step "$harvest" tasks add 0f0e0d0c-0b0a-4908-8706-050403020100 --mode offset --every 10m
step "$harvest" tasks list
step "$harvest" status

step "$harvest" query "SELECT status, COUNT(*) AS jobs FROM oxylabs_jobs GROUP BY status"
step "$harvest" query "SELECT id, source, json_extract(payload, '\$.geo_location') AS geo FROM oxylabs_jobs WHERE source = 'amazon_product'" --json
step "$harvest" query "SELECT task_id, table_name, start_from FROM octoparse_tasks" --csv
echo
echo "(a write is refused, exit status 2:)"
step "$harvest" query "DELETE FROM oxylabs_jobs" || true
echo
echo "demo database: $HARVEST_DB"
