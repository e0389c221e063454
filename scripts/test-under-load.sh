#!/usr/bin/env bash
# `npm test` several times in a row with every core busy (Debian's stress-ng),
# to show the suite asserts order and content, not timing.
# Usage: bash scripts/test-under-load.sh [runs=3]
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
if ! command -v stress-ng >/dev/null 2>&1; then
  echo "test-under-load: needs stress-ng (apt-get install stress-ng)" >&2
  exit 2
fi
cores="$(nproc)"
stress-ng --cpu "$cores" --timeout 4h --quiet &
hog=$!
trap 'kill "$hog" 2>/dev/null; wait "$hog" 2>/dev/null' EXIT
echo "test-under-load: stress-ng --cpu $cores (pid $hog); $runs runs of npm test"
failed=0
for i in $(seq 1 "$runs"); do
  log="test-results/under-load-$i.log"
  mkdir -p test-results
  npm test >"$log" 2>&1
  code=$?
  echo "run $i (exit $code): $(grep -E '^tests: ' "$log" | tail -1)"
  [ "$code" -eq 0 ] || failed=$((failed + 1))
done
echo "test-under-load: $((runs - failed)) of $runs runs green"
[ "$failed" -eq 0 ]
