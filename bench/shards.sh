#!/usr/bin/env bash
# Benchmark (not a test) of sharding on one machine: the latency-bound workload of
# bench/latency.sh (FILES feature files × PER scenarios, each one GET answered after DELAY_MS,
# scenario scope) run by one process, then as SHARDS processes started at once (a CI matrix
# played locally), then merged; and the time `apitest merge` takes for MERGE_N scenarios (4
# shards of a workload answered at once, merged into JUnit, HTML and Cucumber Messages).
# Every run must report all its scenarios passed; the merge must report all of them.
#
#   bench/shards.sh                   100 files x 20 scenarios, 20 ms, 7 shards; merge of 10,000
#   SHARDS=3 MERGE_N=2000 bench/shards.sh
set -euo pipefail
cd "$(dirname "$0")/.."
files=${FILES:-100}
per=${PER:-20}
delay=${DELAY_MS:-20}
shards=${SHARDS:-7}
merge_n=${MERGE_N:-10000}
n=$((files * per))

cargo build --release --quiet
bin=$PWD/target/release/apitest
work=$PWD/target/bench/shards
rm -rf "$work"
mkdir -p "$work/latency/features" "$work/merge/features"

"$bin" demo --port 0 >"$work/demo.log" 2>&1 &
demo_pid=$!
trap 'kill $demo_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$work/demo.log" && break; sleep 0.05; done
address=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/demo.log" | head -1)
[ -n "$address" ] || { echo "the demo API did not start: $(cat "$work/demo.log")" >&2; exit 1; }

suite() { # dir files per delay_ms
  local dir=$1 f s
  printf '[user]\naddress = "%s"\n' "$address" >"$dir/apitest.toml"
  for ((f = 0; f < $2; f++)); do
    {
      echo "Feature: Remote API $f"
      for ((s = 0; s < $3; s++)); do
        printf '  Scenario: call %d\n    Given address "@address"\n    Given URL path "/api/delay/%d"\n    When the URL is invoked\n    Then status is "200"\n    And path "/delayed_ms" is an integer "%d"\n' "$s" "$4" "$4"
      done
    } >"$dir/features/remote_$f.feature"
  done
}
now() { date +%s%N; }
secs() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'; }
expect() { # file count
  grep -q "^$2 scenarios ($2 passed)" "$1" \
    || { echo "expected $2 passed scenarios in $1:" >&2; tail -3 "$1" >&2; exit 1; }
}
shard_all() { # dir total -> runs every shard at once, waits for all
  local i pids=()
  for ((i = 1; i <= $2; i++)); do
    (cd "$1" && "$bin" run --no-html --report-junit "reports/$i/junit.xml" --shard "$i/$2" features >"out-$i.txt" 2>&1) &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
}

echo "sharding: $files files x $per scenarios = $n, each answered after $delay ms, server $address"
suite "$work/latency" "$files" "$per" "$delay"
cd "$work/latency"
t0=$(now); "$bin" run --quiet --no-html features >one.txt 2>&1; t1=$(now); expect one.txt "$n"
one=$(secs "$t0" "$t1")
t0=$(now); shard_all "$work/latency" "$shards"; t1=$(now)
sharded=$(secs "$t0" "$t1")
t0=$(now); "$bin" merge --quiet reports/*/shard-*-of-"$shards".ndjson >merged.txt 2>&1; t1=$(now); expect merged.txt "$n"
merged=$(secs "$t0" "$t1")
awk -v o="$one" -v s="$sharded" -v m="$merged" -v k="$shards" 'BEGIN {
  printf "one process:        %7.3f s\n%d shards at once:   %7.3f s (%.2fx faster), merge %.3f s; with the merge %.2fx\n", o, k, s, o / s, m, o / (s + m) }'

per_file=20
merge_files=$(((merge_n + per_file - 1) / per_file))
total=$((merge_files * per_file))
suite "$work/merge" "$merge_files" "$per_file" 0
cd "$work/merge"
shard_all "$work/merge" 4
for i in 1 2 3 4; do grep -q "passed" "out-$i.txt" || { tail -3 "out-$i.txt" >&2; exit 1; }; done
t0=$(now)
"$bin" merge --quiet --report-messages reports/messages.ndjson reports/*/shard-*-of-4.ndjson >merged.txt 2>&1
t1=$(now)
expect merged.txt "$total"
peak=$(command -v /usr/bin/time >/dev/null && /usr/bin/time -f %M "$bin" merge --quiet --no-html --no-junit reports/*/shard-*-of-4.ndjson 2>&1 >/dev/null | tail -1 || echo "?")
echo "merge of $total scenarios from 4 shards (JUnit, HTML, Messages, coverage): $(secs "$t0" "$t1") s, peak ${peak} KiB (without writing the reports)"
