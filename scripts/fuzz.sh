#!/bin/sh
# Runs the page-parser fuzzer, then the query fuzzer, each for a bounded
# time: the first seeded from data/, the second from fuzz/query-seeds/.
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS
# Crash inputs are kept in fuzz/crashes/ (replay: BUILD_DIR/fuzz/fuzz_parse_page FILE,
# or BUILD_DIR/fuzz/fuzz_query FILE).
set -eu
build=$1
seconds=${2:-60}
corpus=$build/fuzz-corpus
mkdir -p "$corpus" fuzz/crashes
# A seed corpus: small real pages of every kind, plus the checked-in regressions.
find data -name '*.md' -size -8k | sort | awk 'NR % 12 == 1' | head -120 | while read -r f; do
  cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"
done
[ -d fuzz/seeds ] && cp fuzz/seeds/* "$corpus/" 2>/dev/null || true
"$build/fuzz/fuzz_parse_page" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=fuzz/crashes/ -print_final_stats=1 "$corpus"

# Queries: the first byte of an input picks the search options, the rest is the query.
qcorpus=$build/fuzz-query-corpus
mkdir -p "$qcorpus"
cp fuzz/query-seeds/* "$qcorpus/"
"$build/fuzz/fuzz_query" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=fuzz/crashes/query- -print_final_stats=1 "$qcorpus"
