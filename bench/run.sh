#!/usr/bin/env bash
# Benchmark: N scenarios, each one GET and 5 checks (the workload of issue 6), run by the
# release binary against the built-in demo API (started in-process by --demo, so the server
# shares the machine's cores with the runner). Prints wall time, CPU time, scenarios/s and
# peak memory for each N.
#
#   bench/run.sh              N = 1, 100, 1000, 10000
#   bench/run.sh 500 5000     chosen sizes
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 100 1000 10000)

cargo build --release --quiet
bin=target/release/apitest
work=target/bench
mkdir -p "$work"

generate() { # N -> feature file in the Zato vocabulary
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
    done
  } > "$file"
  echo "$file"
}

printf '%8s %9s %9s %13s %9s\n' N wall_s cpu_s scenarios/s peak_MiB
for n in "${sizes[@]}"; do
  file=$(generate "$n")
  stats=$( { /usr/bin/time -f '%e %U %S %M' "$bin" run --demo --quiet --junit "$work/junit-$n.xml" "$file" >"$work/out-$n.txt"; } 2>&1 | tail -1)
  read -r wall user sys peak_kib <<<"$stats"
  # Every scenario must be reported, exactly once, and pass.
  if ! grep -q "^$n scenarios\? ($n passed)" "$work/out-$n.txt" \
    || [ "$(grep -o '<testcase ' "$work/junit-$n.xml" | wc -l)" -ne "$n" ]; then
    echo "N=$n: the run did not report exactly $n passing scenarios:" >&2
    tail -3 "$work/out-$n.txt" >&2
    exit 1
  fi
  awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v m="$peak_kib" \
    'BEGIN { printf "%8d %9.3f %9.3f %13.0f %9.1f\n", n, w, u + s, (w > 0 ? n / w : 0), m / 1024 }'
done
