#!/usr/bin/env bash
# Renders data/hugo-docs as HTML with the site in site/ and indexes it with Pagefind.
# Usage: bench/pagefind/build_site.sh WORK_DIR PAGEFIND
#   WORK_DIR  where the site is built (WORK_DIR/public, WORK_DIR/public/pagefind)
#   PAGEFIND  the pagefind program (npm install --prefix DIR pagefind: DIR/node_modules/.bin/pagefind)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: build_site.sh WORK_DIR PAGEFIND" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$1
pagefind=$2

rm -rf "$work"
mkdir -p "$work"
cp -r "$here/site/." "$work/"
cp -r "$repo/data/hugo-docs/content/en" "$work/content"
# _common holds snippets for the include shortcode, never published. Hugo before 0.123
# reads that from "_build", newer Hugo from "build".
sed -i 's/^  build:/  _build:/' "$work/content/_common/_index.md"

(cd "$work" && hugo --quiet)
echo "pages rendered: $(grep -rl 'name="taxon-source"' "$work/public" | wc -l)"
(cd "$work" && "$pagefind" --site public)
echo "pagefind bundle: $(du -sb "$work/public/pagefind" | cut -f1) bytes"
