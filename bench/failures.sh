#!/usr/bin/env bash
# Reporting cost: N scenarios that all pass against N that all fail (each renders its
# failure on the console and in JUnit). Failure reporting must stay linear: the failing run
# within 2x the passing one. No server is needed: the steps store and check a variable.
#   bench/failures.sh [N]        (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
cargo build --release --quiet
BIN="$PWD/target/release/apitest"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/features"
for kind in pass fail; do
  want=a; [ "$kind" = fail ] && want=b
  {
    echo "Feature: Many"
    for ((i = 0; i < N; i++)); do
      printf '  Scenario: s%d\n    Given I store "a" under "x"\n    Then variable "#x" is a string "%s"\n' "$i" "$want"
    done
  } > "$WORK/features/$kind.feature"
done
printf '%-6s %10s %12s\n' run "wall (s)" "peak (MiB)"
for kind in pass fail; do
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" run -q --junit "$WORK/junit-$kind.xml" \
    "$WORK/features/$kind.feature" > /dev/null 2>&1 || true
  read -r wall kib < <(tail -n 1 "$WORK/time")
  printf '%-6s %10s %12.1f\n' "$kind" "$wall" "$(echo "$kib / 1024" | bc -l)"
done
