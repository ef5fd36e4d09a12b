#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets of Fuzz/ (HarvestCore only, with AddressSanitizer) and runs each
# for FUZZ_SECONDS (default 60), then prints one line per target. Exits 1 if any target found a crash or a
# broken property; the input is saved under .build-fuzz/artifacts/<target>/.
#
#   FUZZ_SECONDS=300 make fuzz                 # longer runs
#   FUZZ_TARGETS="json configfile" make fuzz   # some targets only
#   FUZZ_PARALLEL=2 make fuzz                  # two targets at a time (one core each)
#   FUZZ_SECONDS=0 make fuzz                   # only replay the seeds and the grown corpus (a quick check)
#
# Each target grows a working corpus in .build-fuzz/corpus/<target>/, seeded from Fuzz/corpus/<target>/
# (kept small: copy an input there only when it covers something new).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${FUZZ_SECONDS:-60}
SCRATCH=.build-fuzz
ALL="json octoparse oxylabs joblines validators columnnames configfile"
TARGETS=${FUZZ_TARGETS:-$ALL}
PARALLEL=${FUZZ_PARALLEL:-1}

declare -A PRODUCT=(
    [json]=FuzzJSON [octoparse]=FuzzOctoparse [oxylabs]=FuzzOxylabs [joblines]=FuzzJobLines
    [validators]=FuzzValidators [columnnames]=FuzzColumnNames [configfile]=FuzzConfigFile
)
declare -A DICT=([json]=json [octoparse]=json [oxylabs]=json [joblines]=json [configfile]=config)

mkdir -p "$SCRATCH/logs"
for target in $TARGETS; do
    [[ -n ${PRODUCT[$target]:-} ]] || { echo "unknown fuzz target $target (one of: $ALL)" >&2; exit 2; }
    rm -f "$SCRATCH/logs/$target.summary"
done

# Not --sanitize=fuzzer --sanitize=address: swiftc takes the last -sanitize= only, and the fuzzer would get
# no coverage. One -sanitize=fuzzer,address given last instruments Swift code for both.
swift build --package-path Fuzz --scratch-path "$SCRATCH" -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address

# Runs one target; its summary line goes to $SCRATCH/logs/<target>.summary, and its status is 1 on failure.
run_target() {
    local target=$1
    local product=${PRODUCT[$target]}
    local corpus=$SCRATCH/corpus/$target
    local artifacts=$SCRATCH/artifacts/$target
    local log=$SCRATCH/logs/$target.log
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    local options=(-artifact_prefix="$artifacts/" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -use_value_profile=1)
    [[ -n ${DICT[$target]:-} ]] && options+=(-dict="Fuzz/dict/${DICT[$target]}.dict")
    if [[ $SECONDS_EACH == 0 ]]; then
        options+=(-runs=0)
    else
        options+=(-max_total_time="$SECONDS_EACH")
    fi
    echo "fuzz: $target for ${SECONDS_EACH}s (log: $log)"
    local status=0
    # Swift's own crash backtracer would race libFuzzer's handler (and trips AddressSanitizer): off.
    SWIFT_BACKTRACE=enable=no "$SCRATCH/release/$product" "${options[@]}" "$corpus" "Fuzz/corpus/$target" >"$log" 2>&1 \
        || status=$?
    local runs speed cov units result
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(sed -n 's/^#[0-9]*[[:space:]].* cov: \([0-9]*\) .*/\1/p' "$log" | tail -1)
    units=$(find "$corpus" -type f | wc -l)
    if [[ $status == 0 ]]; then
        result=ok
    else
        result="FAILED (status $status): $(ls -t "$artifacts" | head -1 | sed "s|^|$artifacts/|")"
        grep -aE 'property failed|ERROR: AddressSanitizer|Fatal error|deadly signal|ERROR: libFuzzer' "$log" | head -3 || true
    fi
    printf '%-12s %6ss %12s runs %8s exec/s  cov %6s  corpus %6s  %s\n' \
        "$target" "$SECONDS_EACH" "${runs:-?}" "${speed:-?}" "${cov:-?}" "$units" "$result" >"$SCRATCH/logs/$target.summary"
    [[ $status == 0 ]]
}

# FUZZ_PARALLEL targets at a time (default 1: the fuzzers use one core each).
failed=0
running=0
for target in $TARGETS; do
    if (( running >= PARALLEL )); then
        wait -n || failed=1
        running=$((running - 1))
    fi
    run_target "$target" &
    running=$((running + 1))
done
while (( running > 0 )); do
    wait -n || failed=1
    running=$((running - 1))
done

echo
echo "fuzz summary (FUZZ_SECONDS=$SECONDS_EACH each):"
for target in $TARGETS; do cat "$SCRATCH/logs/$target.summary"; done
if [[ $failed != 0 ]]; then
    echo "fuzz: a target failed. Reproduce with $SCRATCH/release/<Product> <artifact>; minimize with -minimize_crash=1."
    exit 1
fi
