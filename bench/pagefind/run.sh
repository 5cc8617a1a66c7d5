#!/usr/bin/env bash
# Measures Pagefind against taxon-serve on data/hugo-docs (docs/serving.md, "A server or a
# static bundle?"): download, time to results, ranking. Needs hugo, chromium, python3 with
# the websocket module (Debian: python3-websocket), and Pagefind from npm:
#   npm install --prefix DIR pagefind
# Usage: bench/pagefind/run.sh BUILD_DIR PAGEFIND [WORK_DIR]
#   BUILD_DIR  a taxon build (make build: build)
#   PAGEFIND   DIR/node_modules/.bin/pagefind
#   WORK_DIR   the site, the index and the results (default: a new folder under /tmp)
# Environment: RUNS=7 fresh tabs per time figure; PYTHON=python3, one with websocket.
# Writes WORK_DIR/download.json and WORK_DIR/ranking.json.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: run.sh BUILD_DIR PAGEFIND [WORK_DIR]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
pagefind=$2
work=${3:-$(mktemp -d /tmp/pagefind-bench.XXXXXX)}
mkdir -p "$work"
runs=${RUNS:-7}
python=${PYTHON:-python3}  # one with the websocket module

"$here/build_site.sh" "$work/site" "$pagefind"
"$build/indexer/taxon-index" --db "$work/taxon" --rebuild "$repo/data/hugo-docs"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
"$python" "$here/static_server.py" "$work/site/public" 0 > "$work/static.url" &
pids+=($!)
"$build/serve/taxon-serve" --db "$work/taxon" --listen 127.0.0.1:0 > "$work/serve.url" 2>/dev/null &
pids+=($!)
for f in static.url serve.url; do
  for _ in $(seq 50); do [ -s "$work/$f" ] && break; sleep 0.1; done
done
site=$(head -1 "$work/static.url")
serve=$(head -1 "$work/serve.url")

"$python" "$here/download.py" "$site" "$serve" "$runs" > "$work/download.json"
"$python" "$here/ranking.py" "$site" "$work/site/public" "$build/query/taxon-query" "$work/taxon" \
  "$repo/tests/relevance/queries.tsv" "$repo/tests/relevance/heldout.tsv" > "$work/ranking.json"
echo "results: $work/download.json $work/ranking.json"
