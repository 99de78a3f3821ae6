#!/usr/bin/env bash
# Runs every libFuzzer target of stressd-fuzz for a bounded time and prints
# what each did; `make fuzz` calls it. Exit status 1 when any target found
# something: the input is saved as OUT/<target>-crash-<sha1> and the line
# printed replays it.
#
#   FUZZ_SECONDS=60   seconds per target
#   FUZZ_TARGETS="duration attack-request"   a subset (default: all)
#   FUZZ_OUT=dir      where new inputs and findings go (default .build/fuzz-out)
#   FUZZ_MERGE=1      afterwards, merge what each run found into Fuzz/corpus
#                     (minimized: only inputs that add coverage)
#
# New inputs go to FUZZ_OUT, never into the committed corpus, unless merged.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fuzzer=${FUZZER:?FUZZER=path to the stressd-fuzz built with -sanitize=fuzzer}
seconds=${FUZZ_SECONDS:-60}
out=${FUZZ_OUT:-$repo/.build/fuzz-out}
targets=${FUZZ_TARGETS:-$("$fuzzer" --list | cut -f1)}
# The Swift runtime's crash handler and ASan both want the faulting thread;
# ASan's report is the one that names the input.
export SWIFT_BACKTRACE=enable=no

# A fuzzer without coverage feedback mutates blindly and finds little:
# refuse to report "ok" from one.
counters=$("$fuzzer" "$(echo $targets | cut -d" " -f1)" -runs=0 2>&1 | sed -n 's/.*Loaded 1 modules *(\([0-9]*\) inline 8-bit counters).*/\1/p')
if [[ ${counters:-0} -lt 1000 ]]; then
    echo "fuzz.sh: $fuzzer has ${counters:-no} coverage counters; rebuild it from scratch (rm -rf .build/fuzz/x86_64-unknown-linux-gnu)" >&2
    exit 2
fi
echo "$fuzzer: $counters coverage counters"

mkdir -p "$out"
found=0
printf '%-18s %8s %12s %10s %8s  %s\n' target seconds executions "exec/s" corpus result
for target in $targets; do
    scratch=$out/$target
    mkdir -p "$scratch"
    log=$out/$target.log
    # A bounded input length and memory: the parsers read kernel files and
    # request bodies of at most 16 KiB.
    "$fuzzer" "$target" "$scratch" "$repo/Fuzz/corpus/$target" \
        -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=1024 -timeout=10 \
        -artifact_prefix="$out/$target-" -print_final_stats=1 >"$log" 2>&1
    status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    corpus=$(find "$scratch" "$repo/Fuzz/corpus/$target" -type f | wc -l)
    if [[ $status -eq 0 ]]; then
        result=ok
    else
        found=1
        artifact=$(sed -n "s/.*Test unit written to //p" "$log" | tail -1)
        result="FOUND (exit $status): replay with: stressd-fuzz $target ${artifact:-?}; log $log"
    fi
    printf '%-18s %8s %12s %10s %8s  %s\n' "$target" "$seconds" "${executions:-?}" "${rate:-?}" "$corpus" "$result"
    if [[ ${FUZZ_MERGE:-0} == 1 && $status -eq 0 ]]; then
        "$fuzzer" "$target" -merge=1 "$repo/Fuzz/corpus/$target" "$scratch" >>"$log" 2>&1
    fi
done
exit $found
