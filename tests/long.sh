#!/usr/bin/env bash
# The long runs behind tests/README.md's figures: the full counts of every reliability
# harness (1,000 kills, 4 × 250 concurrent writes, 50 killed upgrades, 50 backups under
# writes, every terminal size, 10,000 cases per parser property). A debug build, one test
# file at a time; 30-50 minutes on two cores (48 on 2026-12-01, the terminal sizes most of
# it). CI runs the same tests with smaller counts (cargo test). Each file's whole output is
# kept in target/long-NAME.log.
set -euo pipefail
cd "$(dirname "$0")/.."
export PROPTEST_CASES="${PROPTEST_CASES:-10000}"
# Radicale for the sync parts, where .ci/run installed it.
if [ -z "${ROLO_SYNC_SERVERS:-}" ] && [ -x target/sync-servers/bin/radicale ]; then
  export ROLO_SYNC_SERVERS="$PWD/target/sync-servers/bin"
fi
for t in crash concurrency upgrade recovery terminal; do
  echo "== $t (long)"
  cargo test --locked --test "$t" -- --ignored --nocapture 2>&1 | tee "target/long-$t.log" \
    | grep -E '^(crash|concurrency|upgrade|recovery|terminal)( \(sync with Radicale\))?:|^  [A-Z][A-Za-z]+ +[0-9]+ runs|test result|FAILED|panicked|SKIPPED'
done
echo "== hostile (corpus and PROPTEST_CASES=$PROPTEST_CASES per property)"
cargo test --locked --test hostile -- --nocapture 2>&1 | tee target/long-hostile.log | grep -E '^hostile:|test result|FAILED|panicked'
