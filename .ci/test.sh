#!/usr/bin/env bash
# Runs the test suite and prints the closing line "N passed, N failed, N skipped". Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
dotnet tool restore >/dev/null
dotnet test Followup.sln 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(awk '/^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {gsub(",","");f+=$4;p+=$6;s+=$8}
     END{printf "%d %d %d", p, f, s}' "$log")
read -r passed failed skipped <<<"$summary"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
rm -f "$log"
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
