#!/usr/bin/env bash
# Benchmark (not a test) of the latency-bound workload, as real APIs are remote: FILES feature
# files × PER scenarios, each one GET that the server answers after DELAY_MS, checked for its
# status and one JSON value; scenario scope. The server is the demo API in its own process
# (`apitest demo`, whose /api/delay/{ms} waits that long), on 127.0.0.1.
#
# It runs, one after the other in the same invocation: apitest with its defaults, apitest at
# its best setting (--jobs 64 and 64 connections per host), and, when Hurl is installed
# (cargo install hurl --version 8.0.1 --locked), Hurl with its defaults and with --jobs 64 on
# the same requests and asserts. It prints each wall time, its ratio to the ideal (N × delay /
# concurrency) and the ratios between the tools.
#
#   bench/latency.sh                  100 files × 20 scenarios, 20 ms
#   FILES=10 PER=10 DELAY_MS=50 bench/latency.sh
set -euo pipefail
cd "$(dirname "$0")/.."
files=${FILES:-100}
per=${PER:-20}
delay=${DELAY_MS:-20}
n=$((files * per))

cargo build --release --quiet
bin=$PWD/target/release/apitest
work=$PWD/target/bench/latency
rm -rf "$work"
mkdir -p "$work/features" "$work/hurl"

"$bin" demo --port 0 >"$work/demo.log" 2>&1 &
demo_pid=$!
trap 'kill $demo_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$work/demo.log" && break; sleep 0.05; done
address=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/demo.log" | head -1)
[ -n "$address" ] || { echo "the demo API did not start: $(cat "$work/demo.log")" >&2; exit 1; }
printf '[user]\naddress = "%s"\n' "$address" >"$work/apitest.toml"

for ((f = 0; f < files; f++)); do
  {
    echo "Feature: Remote API $f"
    for ((s = 0; s < per; s++)); do
      printf '  Scenario: call %d\n    Given address "@address"\n    Given URL path "/api/delay/%d"\n    When the URL is invoked\n    Then status is "200"\n    And path "/delayed_ms" is an integer "%d"\n' "$s" "$delay" "$delay"
    done
  } >"$work/features/remote_$f.feature"
  for ((s = 0; s < per; s++)); do
    printf 'GET {{address}}/api/delay/%d\nHTTP 200\n[Asserts]\njsonpath "$.delayed_ms" == %d\n\n' "$delay" "$delay"
  done >"$work/hurl/remote_$f.hurl"
done

wall() { # command... -> seconds, to the millisecond; the command's output in $work/out.txt
  local start end
  start=$(date +%s%N)
  "$@" >"$work/out.txt" 2>&1 || { echo "failed: $*" >&2; tail -5 "$work/out.txt" >&2; exit 1; }
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'
}
ideal() { # concurrency -> seconds
  awk -v n="$n" -v d="$delay" -v c="$1" 'BEGIN { printf "%.3f", n * d / 1000 / c }'
}
row() { # label seconds concurrency
  awk -v l="$1" -v w="$2" -v i="$(ideal "$3")" -v c="$3" \
    'BEGIN { printf "%-44s %8.3f s   concurrency %3d, ideal %.3f s: %.2fx the ideal\n", l, w, c, i, w / i }'
}
passed() {
  grep -q "^$n scenarios ($n passed)" "$work/out.txt" \
    || { echo "apitest did not pass all $n scenarios:" >&2; tail -3 "$work/out.txt" >&2; exit 1; }
}

echo "$files files x $per scenarios = $n, each answered after $delay ms, server $address"
cd "$work"
a_default=$(wall "$bin" run --quiet --no-junit --no-html features); passed
row "apitest, defaults (64 jobs, 32 per host)" "$a_default" 32
a_best=$(wall "$bin" run --quiet --no-junit --no-html --jobs 64 --set run.max_connections_per_host=64 features); passed
row "apitest --jobs 64, 64 per host" "$a_best" 64

hurl=$(command -v hurl || true)
if [ -z "$hurl" ]; then
  echo "hurl: not installed, not compared (cargo install hurl --version 8.0.1 --locked)"
  exit 0
fi
cpus=$(nproc)
h_default=$(wall "$hurl" --test --variable "address=$address" hurl)
row "$($hurl --version | head -1 | cut -d' ' -f1-2), defaults (--jobs = $cpus cores)" "$h_default" "$cpus"
h_best=$(wall "$hurl" --test --jobs 64 --variable "address=$address" hurl)
row "hurl --jobs 64" "$h_best" 64
awk -v ad="$a_default" -v ab="$a_best" -v hd="$h_default" -v hb="$h_best" 'BEGIN {
  printf "defaults: apitest %.1fx faster than hurl; best settings: apitest %.2fx faster than hurl\n", hd / ad, hb / ab }'
