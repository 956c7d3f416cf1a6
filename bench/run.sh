#!/usr/bin/env bash
# Benchmark (not a test): N scenarios, each one GET and 5 checks (status 200, /meta/is_ok True,
# /meta/cid not empty, /data/name, /data/department), as in issue 6. For each N it prints wall
# time, CPU time, scenarios/s and peak memory of the whole apitest process, and checks that the
# run reported exactly N passing scenarios.
#
# Target: nginx on 127.0.0.1 with bench/nginx.conf when nginx is installed (apt-get install
# nginx-light), else the built-in demo API started in-process by --demo. With Hurl installed
# (cargo install hurl --version 8.0.1 --locked) and nginx as the target, the same workload runs
# through Hurl (one file, N entries) in the same invocation, and the ratio is printed: machines
# here are noisy, so only side-by-side ratios count.
#
#   bench/run.sh                  N = 1, 100, 1000, 10000
#   bench/run.sh 500 5000         chosen sizes
#   APITEST_SCOPE=scenario bench/run.sh
#                                 scenarios in parallel (scenario scope) instead of in turn
#   APITEST_JOBS=16 bench/run.sh  another --jobs than the default
#   APITEST_CONTRACT=1 bench/run.sh
#                                 each scenario also checks its response against
#                                 contracts/employee.yaml (the cost of contract validation);
#                                 Hurl is not run, as it has no such check
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 100 1000 10000)

cargo build --release --quiet
bin=$PWD/target/release/apitest
work=$PWD/target/bench
mkdir -p "$work/tmp"

target=demo
if command -v nginx >/dev/null 2>&1; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  sed -e "s|PORT|$port|g" -e "s|PREFIX|$work|g" bench/nginx.conf > "$work/nginx.conf"
  nginx -c "$work/nginx.conf" -p "$work" &
  nginx_pid=$!
  trap 'kill $nginx_pid 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/employee/get/123" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$port/api/employee/get/123" >/dev/null 2>&1 \
    || { echo "nginx did not start; see $work/nginx-error.log" >&2; exit 1; }
  address="http://127.0.0.1:$port"
  target="nginx $address"
  printf '[user]\naddress = "%s"\n' "$address" > "$work/apitest.toml"
else
  rm -f "$work/apitest.toml"
fi
demo_flag=(); [ "$target" = demo ] && demo_flag=(--demo)
# Feature scope by default: the one feature's scenarios run one after another, as Hurl runs
# the entries of one file and as wrk -c1 sends; APITEST_SCOPE=scenario runs them in parallel
# (--jobs, 64 by default).
jobs_flag=(--scope "${APITEST_SCOPE:-feature}"); [ -n "${APITEST_JOBS:-}" ] && jobs_flag+=(--jobs "$APITEST_JOBS")
contract_step=""
if [ -n "${APITEST_CONTRACT:-}" ]; then
  cp contracts/employee.yaml "$work/employee.yaml"
  printf '[contract]\nopenapi = "employee.yaml"\n' >> "$work/apitest.toml"
  contract_step='    And response matches the OpenAPI spec'
fi
hurl=$(command -v hurl || true)
hurl_note=""
if [ -n "$hurl" ] && [ "$target" = demo ]; then
  # The demo API lives inside the apitest process, so Hurl would have nothing to call.
  hurl=""
elif [ -n "$hurl" ] && [ -n "${APITEST_CONTRACT:-}" ]; then
  hurl=""
  hurl_note="hurl: not run; it has no OpenAPI check, so the ratio would compare different work"
fi
echo "target: $target${hurl:+; hurl: $($hurl --version | head -1)}"
[ -z "$hurl_note" ] || echo "$hurl_note"

generate() { # N -> feature file in the Zato vocabulary (and a Hurl file with the same checks)
  local n=$1 file="$work/workload-$1.feature"
  {
    echo "Feature: Benchmark workload"
    for ((i = 0; i < n; i++)); do
      cat <<SCENARIO
  Scenario: Get employee $i
    Given address "@address"
    Given URL path "/api/employee/get/123"
    Given REST method "GET"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/meta/cid" is not empty
    And path "/data/name" is "John Doe"
    And path "/data/department" is "HR"
SCENARIO
      [ -z "$contract_step" ] || echo "$contract_step"
    done
  } > "$file"
  if [ -n "$hurl" ]; then
    for ((i = 0; i < n; i++)); do
      printf 'GET {{address}}/api/employee/get/123\nHTTP 200\n[Asserts]\njsonpath "$.meta.is_ok" == true\njsonpath "$.meta.cid" not isEmpty\njsonpath "$.data.name" == "John Doe"\njsonpath "$.data.department" == "HR"\n\n'
    done > "$work/workload-$n.hurl"
  fi
  echo "$file"
}

measure() { # command... -> "wall user sys peak_kib"; wall to the microsecond (time(1) has 10 ms)
  local start end stats
  start=$(date +%s%N)
  stats=$({ /usr/bin/time -f '%U %S %M' "$@" >"$work/out.txt"; } 2>&1 | tail -1)
  end=$(date +%s%N)
  echo "$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f", (e - s) / 1e9 }') $stats"
}

# The floor: the same GET over one kept-alive connection with wrk (one thread, one
# connection, as apitest's feature-scope run and Hurl's one-file run send one at a time).
floor=""
if command -v wrk >/dev/null 2>&1 && [ "$target" != demo ]; then
  floor=$(wrk -t1 -c1 -d3s "$address/api/employee/get/123" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
  echo "wrk -t1 -c1 floor: $floor requests/s ($(awk -v f="$floor" 'BEGIN { printf "%.1f", 1e6 / f }') us per request)"
fi

printf '%8s %9s %9s %13s %9s %s%s\n' N wall_s cpu_s scenarios/s peak_MiB "${hurl:+  hurl/s  ratio}" "${floor:+  of_floor}"
for n in "${sizes[@]}"; do
  file=$(generate "$n")
  read -r wall user sys peak_kib <<<"$(measure "$bin" run "${demo_flag[@]}" "${jobs_flag[@]}" --quiet --no-html --junit "$work/junit-$n.xml" "$file")"
  # Every scenario must be reported, exactly once, and pass.
  if ! grep -q "^$n scenarios\? ($n passed)" "$work/out.txt" \
    || [ "$(grep -o '<testcase ' "$work/junit-$n.xml" | wc -l)" -ne "$n" ]; then
    echo "N=$n: the run did not report exactly $n passing scenarios:" >&2
    tail -3 "$work/out.txt" >&2
    exit 1
  fi
  rate=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0 ? n / w : 0) }')
  extra=""
  if [ -n "$hurl" ]; then
    read -r hwall _ _ _ <<<"$(measure "$hurl" --test --variable "address=$address" "$work/workload-$n.hurl")"
    hrate=$(awk -v n="$n" -v w="$hwall" 'BEGIN { printf "%.0f", (w > 0 ? n / w : 0) }')
    extra=$(awk -v a="$rate" -v h="$hrate" 'BEGIN { printf "  %6d  %5.2fx", h, (h > 0 ? a / h : 0) }')
  fi
  if [ -n "$floor" ]; then
    extra="$extra$(awk -v a="$rate" -v f="$floor" 'BEGIN { printf "  %7.0f%%", a / f * 100 }')"
  fi
  awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v m="$peak_kib" -v r="$rate" -v x="$extra" \
    'BEGIN { printf "%8d %9.4f %9.3f %13d %9.1f%s\n", n, w, u + s, r, m / 1024, x }'
done

# What the reports cost: the largest workload with no report file, then with all four
# formats (JUnit, HTML, Cucumber Messages, Cucumber JSON); the best of three runs each.
n=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)
best() { # command... -> the lowest wall time of three runs
  local lowest="" w
  for _ in 1 2 3; do
    read -r w _ _ _ <<<"$(measure "$@")"
    lowest=$(awk -v a="$lowest" -v b="$w" 'BEGIN { print (a == "" || b < a) ? b : a }')
  done
  echo "$lowest"
}
none=$(best "$bin" run "${demo_flag[@]}" "${jobs_flag[@]}" --quiet --no-junit --no-html "$work/workload-$n.feature")
all=$(best "$bin" run "${demo_flag[@]}" "${jobs_flag[@]}" --quiet --junit "$work/r.xml" --report-html "$work/r.html" \
  --report-messages "$work/r.ndjson" --report-cucumber-json "$work/r.json" "$work/workload-$n.feature")
sizes_mib=$(du -cm "$work/r.xml" "$work/r.html" "$work/r.ndjson" "$work/r.json" | tail -1 | cut -f1)
awk -v n="$n" -v a="$none" -v b="$all" -v m="$sizes_mib" 'BEGIN {
  printf "reports at N=%d: none %.3f s, all four formats %.3f s: %.1f us per scenario for the four (%d MiB written)\n", n, a, b, (b - a) / n * 1e6, m }'

# Correctness under load: the largest workload again, with 1% of the scenarios failing on
# purpose (every one whose number ends in 07); exactly those must be reported as failed.
if [ "$n" -ge 100 ]; then
  awk '/Scenario: Get employee/ { i = $NF } { if (i % 100 == 7) sub(/"John Doe"/, "\"Nobody\""); print }' \
    "$work/workload-$n.feature" > "$work/failing-$n.feature"
  "$bin" run "${demo_flag[@]}" "${jobs_flag[@]}" --quiet --junit "$work/junit-failing-$n.xml" "$work/failing-$n.feature" >"$work/out.txt" || true
  expected=$(seq 7 100 $((n - 1)) | sed 's/^/Get employee /' | sort)
  reported=$(grep '^Scenario: ' "$work/out.txt" | sed 's/^Scenario: //' | sort)
  in_junit=$(grep -o '<testcase name="[^"]*"[^>]*><failure' "$work/junit-failing-$n.xml" | sed 's/^<testcase name="//; s/".*//' | sort)
  if [ "$reported" = "$expected" ] && [ "$in_junit" = "$expected" ] \
    && grep -q "^$n scenarios ($((n - n / 100)) passed, $((n / 100)) failed)" "$work/out.txt"; then
    echo "N=$n with 1% failing on purpose: exactly those $((n / 100)) scenarios reported as failed (console and JUnit)"
  else
    echo "N=$n with 1% failing on purpose: the failures reported are not exactly the planted ones" >&2
    exit 1
  fi
fi
