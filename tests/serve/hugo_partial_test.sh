#!/bin/sh
# The Hugo partial renders the search box with the site's settings, and a
# site without params.taxon.server fails its build with a clear message.
# Exit 77 (skipped) without hugo. Usage: hugo_partial_test.sh SOURCE_DIR WORK_DIR
set -eu
command -v hugo >/dev/null || { echo "SKIPPED: hugo is not installed (scripts/deps.sh browser installs it)"; exit 77; }
src=$1 work=$2
rm -rf "$work" && mkdir -p "$work/layouts/partials"
cp "$src/hugo/layouts/partials/taxon-search.html" "$work/layouts/partials/"
printf '<!doctype html><html><body>{{ partial "taxon-search.html" . }}</body></html>\n' >"$work/layouts/index.html"
cat >"$work/hugo.toml" <<'TOML'
baseURL = "https://example.org/"
title = "Site"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "404"]
[params.taxon]
  server = "https://search.example.org/"
  limit = 5
  tree = true
  label = "Find a \"topic\" <here>"
TOML
timeout 60 hugo --quiet -s "$work" -d "$work/out"
page=$work/out/index.html
fail() { echo "FAILED: $1"; cat "$page"; exit 1; }
grep -q 'data-api="https://search.example.org"' "$page" || fail "the server address, without its trailing slash"
grep -q 'src="https://search.example.org/taxon-search.js"' "$page" || fail "the script from the server"
grep -q 'href="https://search.example.org/taxon-search.css"' "$page" || fail "the style from the server"
grep -q 'data-endpoint="suggest"' "$page" || fail "suggest by default"
grep -q 'data-limit="5"' "$page" || fail "the limit"
grep -q 'data-tree="true"' "$page" || fail "the outline"
grep -q 'data-label="Find a &#34;topic&#34; &lt;here&gt;"' "$page" || fail "the label, escaped"
echo "ok: the partial renders the box"
printf 'baseURL = "https://example.org/"\ntitle = "Site"\n' >"$work/hugo.toml"
if timeout 60 hugo -s "$work" -d "$work/out2" >"$work/err.txt" 2>&1; then
  echo "FAILED: a site without params.taxon.server built"; exit 1
fi
grep -q "params.taxon.server" "$work/err.txt" || { echo "FAILED: no clear message"; cat "$work/err.txt"; exit 1; }
echo "ok: a missing server is a build error that names the setting"
