#!/usr/bin/env bash
# Benchmarks taxon against SQLite FTS5 on generated corpora (docs/benchmarks.md).
# Usage: bench/run.sh BUILD_DIR [SCALES...]   (scales in headings; default 40000)
# Environment:
#   BENCH_RUNS=3          measured runs per figure (medians with min-max)
#   BENCH_SEED=42         corpus seed
#   BENCH_ZIPF_Q=20       word rank r drawn with weight 1/(r+Q); 0 = plain Zipf
#   BENCH_QUERY_PASSES=3  passes over the 1,000 queries per in-process run
#   BENCH_COLD_RUNS=20    process starts per run for the single-query figures
#   BENCH_QUERY="w1 w2"   the single query (default: first 2-word query with hits)
#   BENCH_SERVE_CLIENTS=8       concurrent clients of the taxon-serve load
#   BENCH_SERVE_REQUESTS=8000   requests per load figure (bounded by BENCH_SERVE_SECONDS too)
#   BENCH_SERVE_SECONDS=20      most seconds per load figure
#   BENCH_OUT=bench/out   corpus cache, work folders and results
set -euo pipefail

usage() {
  echo "usage: bench/run.sh BUILD_DIR [SCALES...]" >&2
  exit 2
}
[ $# -ge 1 ] || usage
[ -d "$1" ] || { echo "run.sh: no build folder $1" >&2; exit 2; }
build=$(cd "$1" && pwd)
shift
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(40000)

here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_OUT:-$here/out}
runs=${BENCH_RUNS:-3}
seed=${BENCH_SEED:-42}
zipf_q=${BENCH_ZIPF_Q:-20}
passes=${BENCH_QUERY_PASSES:-3}
cold_runs=${BENCH_COLD_RUNS:-20}
serve_clients=${BENCH_SERVE_CLIENTS:-8}
serve_requests=${BENCH_SERVE_REQUESTS:-8000}
serve_seconds=${BENCH_SERVE_SECONDS:-20}

gen=$build/bench/taxon-bench-gen
fts5=$build/bench/taxon-bench-fts5
query_bench=$build/bench/taxon-bench-query
taxon_index=$build/indexer/taxon-index
taxon_query=$build/query/taxon-query
taxon_serve=$build/serve/taxon-serve
serve_load=$build/bench/taxon-bench-serve
gnu_time=/usr/bin/time

for program in "$gen" "$fts5" "$query_bench" "$taxon_index" "$taxon_query" "$taxon_serve" "$serve_load"; do
  [ -x "$program" ] || { echo "run.sh: $program is missing; build with -DTAXON_BUILD_BENCH=ON" >&2; exit 1; }
done
"$gnu_time" -f %M true 2>/dev/null >&2 ||
  { echo "run.sh: GNU time is missing (Debian package time)" >&2; exit 1; }
command -v rg >/dev/null || { echo "run.sh: rg is missing (Debian package ripgrep)" >&2; exit 1; }
for n in "$runs" "$seed" "$zipf_q" "$passes" "$cold_runs" "$serve_clients" "$serve_requests" "$serve_seconds" "${scales[@]}"; do
  case "$n" in '' | *[!0-9]*) echo "run.sh: '$n' is not a number" >&2; exit 2 ;; esac
done
if [ "$runs" -lt 1 ] || [ "$cold_runs" -lt 1 ]; then
  echo "run.sh: BENCH_RUNS and BENCH_COLD_RUNS must be >= 1" >&2
  exit 2
fi

log() { echo "bench: $*" >&2; }

# Microseconds since the epoch, without starting a process.
now_us() { echo "${EPOCHREALTIME/./}"; }

# measure FILE_PREFIX CMD...: runs CMD under GNU time; sets wall_s and peak_mib.
measure() {
  local prefix=$1
  shift
  local start end
  start=$(now_us)
  "$gnu_time" -f %M -o "$prefix.mem" "$@" >"$prefix.out" 2>"$prefix.err" || {
    echo "run.sh: failed: $*" >&2
    cat "$prefix.err" >&2
    exit 1
  }
  end=$(now_us)
  wall_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e6 }')
  peak_mib=$(awk 'END { printf "%.1f", $1 / 1024 }' "$prefix.mem")
}

# wall_ms CMD...: median wall time in ms of cold_runs whole-process runs. A
# first, untimed run must exit with 0 or 1 (1 = nothing found, as grep does).
wall_ms() {
  local i start end rc=0
  local samples=()
  "$@" >/dev/null 2>"$work/wall_ms.err" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "run.sh: failed ($rc): $*" >&2
    cat "$work/wall_ms.err" >&2
    exit 1
  fi
  for ((i = 0; i < cold_runs; i++)); do
    start=$(now_us)
    "$@" >/dev/null 2>&1 || true
    end=$(now_us)
    samples+=($((end - start)))
  done
  printf '%s\n' "${samples[@]}" | sort -n |
    awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
                              printf "%.3f", m / 1000 }'
}

# key FILE NAME: the value of a "name: value" line.
key() { awk -F': ' -v k="$2" '$1 == k { print $2; exit }' "$1"; }

# Per-run values go to $runs_dir/NAME, one line per run.
record() { echo "$2" >>"$runs_dir/$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.4f", a / b; else print "nan" }'; }

# summary NAME DECIMALS: "median (min–max)" over the runs.
summary() {
  local file=$runs_dir/$1
  [ -s "$file" ] || { echo "n/a"; return; }
  sort -g "$file" | awk -v d="$2" '
    function fmt(x,   s, r) {
      s = sprintf("%.*f", d, x)
      if (d > 0 || s !~ /^[0-9]+$/) return s
      r = ""
      while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
      return s r
    }
    { v[NR] = $1 }
    END {
      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      if (NR == 1) print fmt(m); else printf "%s (%s–%s)\n", fmt(m), fmt(v[1]), fmt(v[NR])
    }'
}

# middle NAME DECIMALS: the median alone (for ratios).
middle() {
  [ -s "$runs_dir/$1" ] || { echo "n/a"; return; }
  printf "%.*f" "$2" "$(median "$1")"
}

# speed NAME: a speed-up ratio (peer time / taxon time) as "4.1× faster" or "2.0× slower".
speed() {
  [ -s "$runs_dir/$1" ] || { echo "n/a"; return; }
  awk -v r="$(median "$1")" 'BEGIN {
    if (r >= 1) printf "%.1f× faster", r; else if (r > 0) printf "%.1f× slower", 1 / r; else print "n/a" }'
}

# median NAME: the bare median, for the target checks.
median() {
  sort -g "$runs_dir/$1" | awk '{ v[NR] = $1 } END {
    print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# check VALUE OP LIMIT: a mark for the target column (only at 1M headings).
check() {
  [ "$scale" -eq 1000000 ] || return 0
  if awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { exit !(op == "<=" ? v <= l : v >= l) }'; then
    printf ' ✅'
  else
    printf ' ❌'
  fi
}

ensure_corpus() {
  corpus=$out/corpus-$scale-seed$seed-q$zipf_q
  if [ -f "$corpus/corpus.txt" ] && [ ! "$gen" -nt "$corpus/corpus.txt" ]; then
    log "corpus $corpus (cached)"
    return
  fi
  log "generating $scale headings into $corpus"
  rm -rf "$corpus" "$corpus.tmp"
  "$gen" --zipf-q "$zipf_q" "$corpus.tmp" "$scale" "$seed" >&2
  mv "$corpus.tmp" "$corpus"
}

# The single query of the whole-process figures: BENCH_QUERY, or the first
# two-word query of the list that FTS5 finds something for.
pick_query() {
  if [ -n "${BENCH_QUERY:-}" ]; then
    single_query=$BENCH_QUERY
    return
  fi
  single_query=""
  local q
  while IFS= read -r q; do
    case "$q" in *" "*" "* | "" | *[!a-z\ ]*) continue ;; *" "*) ;; *) continue ;; esac
    if ! "$fts5" query1 "$work/fts5.db" "$q" | grep -q '^no hits$'; then
      single_query=$q
      return
    fi
  done <"$corpus/queries.txt"
  single_query=$(head -n 1 "$corpus/queries.txt")
}

# Appends a heading to 1% of the pages (every 100th in path order, at least one).
change_pages() {
  local content=$1 changed=0 page
  while IFS= read -r page; do
    sed -i '$i #### Benchmark Revision; heading appended for the changed re-run' "$page"
    changed=$((changed + 1))
  done < <(cd "$content" && find . -name '*.md' | LC_ALL=C sort | awk 'NR % 100 == 1' |
    sed "s|^\.|$content|")
  echo "$changed"
}

# A loopback port nothing listens on now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The same queries over Xapian's remote backend: the corpus indexed in 4
# shards, each served by xapian-tcpsrv on loopback, listed in a stub file.
remote_queries() {
  if ! command -v xapian-tcpsrv >/dev/null || ! command -v python3 >/dev/null; then
    log "no xapian-tcpsrv or python3: remote queries skipped"
    return
  fi
  log "in-process queries over 4 remote shards"
  "$taxon_index" --db "$work/db4" --jobs 4 --quiet "$work/content" >/dev/null
  local k port pids=() stub=$work/remote.stub
  : >"$stub"
  for k in 0 1 2 3; do
    port=$(free_port)
    # A session of its own: xapian-tcpsrv ends its process group when it is stopped.
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" "$work/db4/shard-$k" \
      >/dev/null 2>&1 </dev/null &
    pids+=($!)
    echo "remote 127.0.0.1:$port" >>"$stub"
  done
  for k in $(seq 50); do
    "$taxon_query" --db "$stub" --count probe >/dev/null 2>&1 && break
    sleep 0.1
  done
  "$query_bench" "$stub" "$corpus/queries.txt" "$passes" >"$work/taxon-remote.out" || true
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  rm -rf "$work/db4"
  for p in p50 p99; do record "remote_$p" "$(key "$work/taxon-remote.out" "${p}_ms")"; done
}

# Load on taxon-serve over loopback: /api/search and /api/suggest with
# $serve_clients clients, and /api/suggest with one (its latency alone).
serve_figures() {
  local url="" i out
  "$taxon_serve" --listen 127.0.0.1:0 --db "$work/db" >"$work/serve.url" 2>"$work/serve.err" &
  local pid=$!
  for ((i = 0; i < 300; i++)); do
    url=$(head -n 1 "$work/serve.url" 2>/dev/null || true)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    kill "$pid" 2>/dev/null || true
    echo "run.sh: taxon-serve did not start" >&2
    cat "$work/serve.err" >&2
    exit 1
  fi
  # Warm-up: every connection's Searcher opened, the index in the page cache.
  "$serve_load" "$url" search "$corpus/queries.txt" "$serve_clients" 1000 10 >/dev/null
  "$serve_load" "$url" suggest "$corpus/queries.txt" "$serve_clients" 1000 10 >/dev/null
  for kind in search suggest; do
    out=$work/serve-$kind.out
    "$serve_load" "$url" "$kind" "$corpus/queries.txt" "$serve_clients" "$serve_requests" \
      "$serve_seconds" >"$out" || { echo "run.sh: taxon-serve load failed" >&2; cat "$out" >&2; exit 1; }
    record "serve_${kind}_rps" "$(key "$out" rps)"
    record "serve_${kind}_p50" "$(key "$out" p50_ms)"
    record "serve_${kind}_p99" "$(key "$out" p99_ms)"
  done
  out=$work/serve-suggest1.out
  "$serve_load" "$url" suggest "$corpus/queries.txt" 1 "$serve_requests" "$serve_seconds" >"$out" ||
    { echo "run.sh: taxon-serve load failed" >&2; exit 1; }
  record serve_suggest1_p50 "$(key "$out" p50_ms)"
  record serve_suggest1_p99 "$(key "$out" p99_ms)"
  kill -TERM "$pid"
  wait "$pid" || { echo "run.sh: taxon-serve did not stop with 0" >&2; exit 1; }
}

one_run() {
  local run=$1
  local work_content=$work/content
  log "scale $scale, run $run/$runs: copying the corpus"
  rm -rf "$work"
  mkdir -p "$work"
  cp -a "$corpus/content" "$work_content"
  cd "$work"

  log "taxon-index full build"
  measure "$work/taxon-build" "$taxon_index" --db "$work/db" --rebuild --quiet content
  local taxon_build=$wall_s
  record taxon_build_s "$wall_s"
  record taxon_rate "$(ratio "$headings" "$wall_s")"
  record taxon_mem_mib "$peak_mib"
  local taxon_mem=$peak_mib
  local taxon_bytes
  taxon_bytes=$(du -s -B1 "$work/db" | cut -f1)
  record taxon_bytes "$(ratio "$taxon_bytes" "$headings")"

  log "taxon-index unchanged re-run"
  measure "$work/taxon-unchanged" "$taxon_index" --db "$work/db" --quiet content
  record taxon_unchanged_s "$wall_s"
  record taxon_unchanged_pct "$(awk -v a="$wall_s" -v b="$taxon_build" 'BEGIN { printf "%.3f", 100 * a / b }')"

  log "FTS5 build"
  measure "$work/fts5-build" "$fts5" index "$work/fts5.db" "$corpus/records.tsv"
  record fts5_build_s "$wall_s"
  record fts5_rate "$(ratio "$headings" "$wall_s")"
  record fts5_mem_mib "$peak_mib"
  record fts5_optimize_s "$(key "$work/fts5-build.out" optimize_seconds)"
  local fts5_bytes
  fts5_bytes=$(du -s -B1 "$work/fts5.db" | cut -f1)
  record fts5_bytes "$(ratio "$fts5_bytes" "$headings")"
  record ratio_build "$(ratio "$wall_s" "$taxon_build")"
  record ratio_mem "$(ratio "$taxon_mem" "$peak_mib")"
  record ratio_bytes "$(ratio "$taxon_bytes" "$fts5_bytes")"

  log "in-process queries (taxon, then FTS5)"
  "$query_bench" "$work/db" "$corpus/queries.txt" "$passes" >"$work/taxon-query.out"
  "$fts5" query "$work/fts5.db" "$corpus/queries.txt" "$passes" >"$work/fts5-query.out"
  # The words as typed only (--all --no-partial): what FTS5 does, without
  # taxon's completion and fallbacks for queries that find nothing.
  "$query_bench" "$work/db" "$corpus/queries.txt" "$passes" strict >"$work/taxon-strict.out"
  for p in p50 p99; do record "strict_$p" "$(key "$work/taxon-strict.out" "${p}_ms")"; done
  remote_queries
  local side p
  for side in taxon fts5; do
    for p in p50 p90 p99; do record "${side}_$p" "$(key "$work/$side-query.out" "${p}_ms")"; done
    record "${side}_qps" "$(key "$work/$side-query.out" qps)"
  done
  for p in p50 p90 p99; do
    record "ratio_$p" "$(ratio "$(key "$work/fts5-query.out" "${p}_ms")" "$(key "$work/taxon-query.out" "${p}_ms")")"
  done
  record ratio_qps "$(ratio "$(key "$work/taxon-query.out" qps)" "$(key "$work/fts5-query.out" qps)")"
  local indexed
  indexed=$(key "$work/taxon-query.out" index_headings)
  if [ "$indexed" != "$headings" ]; then
    log "WARNING: taxon holds $indexed headings, the corpus has $headings"
    index_warning="taxon's index holds $indexed headings where the corpus has $headings."
  fi
  if [ "$(key "$work/taxon-query.out" errors)" != 0 ]; then
    index_warning="${index_warning:-} taxon-bench-query reported $(key "$work/taxon-query.out" errors) failed queries."
  fi

  log "taxon-serve under load: $serve_clients clients over loopback"
  serve_figures

  [ -n "${single_query:-}" ] || pick_query
  log "single query as a whole process: \"$single_query\" x $cold_runs"
  local words
  read -r -a words <<<"$single_query"
  local taxon_cold fts5_cold
  taxon_cold=$(wall_ms "$taxon_query" --db "$work/db" "$single_query")
  fts5_cold=$(wall_ms "$fts5" query1 "$work/fts5.db" "$single_query")
  record taxon_cold_ms "$taxon_cold"
  record fts5_cold_ms "$fts5_cold"
  record ratio_cold "$(ratio "$fts5_cold" "$taxon_cold")"
  record rg_ms "$(wall_ms rg -i -c "${words[0]}" content)"
  rg_word=${words[0]}

  log "taxon-index after changing 1% of the pages"
  changed_pages=$(change_pages "$work_content")
  measure "$work/taxon-changed" "$taxon_index" --db "$work/db" --quiet content
  record taxon_changed_s "$wall_s"
  record taxon_changed_pct "$(awk -v a="$wall_s" -v b="$taxon_build" 'BEGIN { printf "%.3f", 100 * a / b }')"
  cd "$here"
}

machine_info() {
  local cpu mem
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  echo "- Machine: $(nproc) cores usable, ${cpu:-unknown CPU}, $mem RAM, Linux $(uname -r)"
  echo "- Load average (1 min) before the runs: $load_before (other work on the machine skews the figures)"
  local cxx build_type
  cxx=$(awk -F= '/^CMAKE_CXX_COMPILER:/ { print $2; exit }' "$build/CMakeCache.txt" 2>/dev/null || true)
  build_type=$(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2; exit }' "$build/CMakeCache.txt" 2>/dev/null || true)
  local git_rev
  git_rev=$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo "no commit")
  if [ -n "$(git -C "$here/.." status --porcelain 2>/dev/null | head -n 1)" ]; then git_rev="$git_rev, uncommitted changes"; fi
  echo "- taxon: $("$taxon_index" --version 2>/dev/null | head -n 1 || echo unknown) (git $git_rev), ${build_type:-?} build, $("${cxx:-c++}" --version 2>/dev/null | head -n 1)"
  echo "- Xapian $(xapian-config --version 2>/dev/null | awk '{ print $NF }' || echo '?'), ICU $(pkg-config --modversion icu-uc 2>/dev/null || echo '?'), SQLite $("$fts5" version), $(rg --version | head -n 1)"
}

report() {
  local c=$corpus/corpus.txt
  cat <<EOF
## taxon vs SQLite FTS5 at $(echo "$scale" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta') headings

$(date -u '+%Y-%m-%d %H:%M UTC'); $runs run(s) per figure: median (min–max over the runs).
Ratios are taken within each run; the median of them is shown.

| Figure | taxon | SQLite FTS5 | taxon vs FTS5 | Target at 1M headings |
|---|--:|--:|--:|---|
| Full index build, s (whole process) | $(summary taxon_build_s 2) | $(summary fts5_build_s 2) | $(speed ratio_build) | |
| Indexing rate, headings/s | $(summary taxon_rate 0) | $(summary fts5_rate 0) | $(middle ratio_build 2)× | ≥ 40,000$(check "$(median taxon_rate)" ">=" 40000) |
| Peak memory of the build, MiB | $(summary taxon_mem_mib 1) | $(summary fts5_mem_mib 1) | $(middle ratio_mem 2)× | ≤ 256$(check "$(median taxon_mem_mib)" "<=" 256) |
| Index on disk, bytes/heading | $(summary taxon_bytes 0) | $(summary fts5_bytes 0) | $(middle ratio_bytes 2)× | ≤ 300$(check "$(median taxon_bytes)" "<=" 300) |
| Unchanged re-run, s | $(summary taxon_unchanged_s 3) | — | $(middle taxon_unchanged_pct 2) % of the full build | ≤ 1 % of the full build$(check "$(median taxon_unchanged_pct)" "<=" 1) |
| Re-run after changing 1% of pages, s | $(summary taxon_changed_s 3) | — | $(middle taxon_changed_pct 2) % of the full build | ≤ 3 % of the full build$(check "$(median taxon_changed_pct)" "<=" 3) |
| Query p50, ms (in-process) | $(summary taxon_p50 3) | $(summary fts5_p50 3) | $(speed ratio_p50) | ≤ 1 ms$(check "$(median taxon_p50)" "<=" 1), ≥ 4× faster$(check "$(median ratio_p50)" ">=" 4) |
| Query p90, ms (in-process) | $(summary taxon_p90 3) | $(summary fts5_p90 3) | $(speed ratio_p90) | |
| Query p99, ms (in-process) | $(summary taxon_p99 3) | $(summary fts5_p99 3) | $(speed ratio_p99) | ≤ 10 ms$(check "$(median taxon_p99)" "<=" 10), ≥ 10× faster$(check "$(median ratio_p99)" ">=" 10) |
| Query p50 / p99, ms, words as typed only (\`--all --no-partial\`) | $(summary strict_p50 3) / $(summary strict_p99 3) | | | |
| Query p50 / p99, ms, over 4 remote shards (\`xapian-tcpsrv\` on loopback) | $(summary remote_p50 3) / $(summary remote_p99 3) | | | |
| Queries/s (in-process, 1 thread) | $(summary taxon_qps 0) | $(summary fts5_qps 0) | $(middle ratio_qps 2)× | |
| Single query as a whole process, ms | $(summary taxon_cold_ms 2) | $(summary fts5_cold_ms 2) | $(speed ratio_cold) | ≤ 15 ms$(check "$(median taxon_cold_ms)" "<=" 15) |
| No index: \`rg -i -c $rg_word content\`, ms | | | $(summary rg_ms 2) | |

- Commands: \`taxon-index --db DB --rebuild --quiet content\` (full), the same without
  \`--rebuild\` (re-runs); \`taxon-bench-fts5 index\` (FTS5 \`porter unicode61\`, one transaction,
  then \`optimize\`: $(summary fts5_optimize_s 2) s of the FTS5 build time).
- In-process: the $(key "$corpus/corpus.txt" queries | cut -d' ' -f1) queries of queries.txt, a warm-up pass then $passes measured
  passes, 10 hits, label and breadcrumb read; taxon with spelling off and its defaults otherwise
  (a query that finds nothing is widened: related word forms, then most of the words), FTS5 with
  all words required. Zero-hit queries: taxon $(key "$work/taxon-query.out" zero_hit_queries) (words as typed only:
  $(key "$work/taxon-strict.out" zero_hit_queries)), FTS5 $(key "$work/fts5-query.out" zero_hit_queries);
  hits per query: taxon $(key "$work/taxon-query.out" hits_per_query), FTS5 $(key "$work/fts5-query.out" hits_per_query).
- Whole process: \`taxon-query --db DB "$single_query"\` vs \`taxon-bench-fts5 query1 DB "$single_query"\`,
  median of $cold_runs starts per run (OS file cache warm); \`rg\` timed the same way.
- 1%-changed re-run: $changed_pages page(s) got one more heading.
${index_warning:+- **Warning:** $index_warning
}
### Serving (taxon-serve over loopback)

| Figure | /api/search | /api/suggest | Target at 1M headings |
|---|--:|--:|---|
| Requests/s, $serve_clients clients | $(summary serve_search_rps 0) | $(summary serve_suggest_rps 0) | |
| p50, ms, $serve_clients clients | $(summary serve_search_p50 3) | $(summary serve_suggest_p50 3) | |
| p99, ms, $serve_clients clients | $(summary serve_search_p99 3) | $(summary serve_suggest_p99 3) | |
| p50 / p99, ms, one client | | $(summary serve_suggest1_p50 3) / $(summary serve_suggest1_p99 3) | suggest p99 ≤ 5 ms$(check "$(median serve_suggest1_p99)" "<=" 5) |

- \`taxon-bench-serve\`: each client one kept-alive connection, one request at a time, queries from
  queries.txt in turn (suggest: the last word cut to 60%, as typed), up to $serve_requests requests or
  $serve_seconds s a figure, after an untimed warm-up; the load program runs on the same cores.

### Machine and versions

$(machine_info)

### Corpus

- \`taxon-bench-gen --zipf-q $zipf_q $corpus_rel $scale $seed\`: $(key "$c" headings) headings in $(key "$c" pages) pages
  ($(key "$c" headings_per_page) headings a page), $(key "$c" folders), $(awk '/^content_bytes:/ { printf "%.1f MB", $2 / 1e6 }' "$c") of Markdown
- Words: $(key "$c" vocabulary_words) from $(key "$c" vocabulary_source) (fnv1a $(key "$c" vocabulary_fnv1a)), Zipf-Mandelbrot ($(key "$c" zipf)),
  labels $(key "$c" label_words) words, keywords $(key "$c" keyword_words) words; head words: $(key "$c" vocabulary_head)
- Queries: $(key "$c" queries), same Zipf distribution
EOF
}

mkdir -p "$out"
for scale in "${scales[@]}"; do
  ensure_corpus
  corpus_rel=${corpus#"$(dirname "$here")/"}
  headings=$(key "$corpus/corpus.txt" headings)
  work=$out/work-$scale
  runs_dir=$out/runs-$scale
  rm -rf "$runs_dir"
  mkdir -p "$runs_dir"
  single_query=""
  index_warning=""
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  for ((run = 1; run <= runs; run++)); do one_run "$run"; done
  report | tee "$out/results-$scale.md"
  log "results written to $out/results-$scale.md (raw values: $runs_dir/)"
done
