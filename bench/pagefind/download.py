#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Bytes a browser downloads, and time to results, for the same queries on Pagefind's
bundle and on taxon-serve, in headless Chromium over loopback.

Usage: download.py PAGEFIND_SITE_URL TAXON_SERVE_URL [RUNS]
  PAGEFIND_SITE_URL  static_server.py serving the site built by build_site.sh
  TAXON_SERVE_URL    taxon-serve over the index of data/hugo-docs
Prints JSON: per query, the first query's bytes (everything fetched from an empty cache,
the page aside), each further query's bytes, and the median times over RUNS fresh tabs.
"""
import json
import os
import statistics
import sys

from cdp import Browser, Tab

QUERIES = ["shortcode", "image processing", "render hooks", "taxonomy templates", "front matter"]

# Pagefind's API as a page uses it: import the script, search, load the first 10 results.
PAGEFIND_JS = """
window.run = async (q, init) => {
  const t0 = performance.now();
  if (!window.pf) { window.pf = await import('/pagefind/pagefind.js'); }
  // An empty search loads Pagefind's worker, wasm and metadata, and no index chunk
  // (pf.init() leaves the worker to the first search).
  if (init) { await pf.search(''); return {ms: performance.now() - t0}; }
  const search = await pf.search(q);
  const ranked = performance.now() - t0;
  const data = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
  return {ms: performance.now() - t0, ranked_ms: ranked, results: search.results.length};
};
"""
# What taxon-serve's search page fetches for a query (serve/static/taxon-search.js).
TAXON_JS = """
window.run = async (q) => {
  const t0 = performance.now();
  const r = await fetch('/api/search?q=' + encodeURIComponent(q) + '&limit=10',
                        {headers: {Accept: 'application/json'}});
  const doc = await r.json();
  return {ms: performance.now() - t0, results: doc.hits.length};
};
"""


def total(responses):
    return sum(n for _, n in responses)


def measure(browser, base, page, script, runs):
    out = {"page": None, "queries": {}}
    # Bytes: one tab, the queries one after the other.
    tab = Tab(browser)
    tab.goto(base + page)
    loaded = tab.responses()
    out["page"] = {"bytes": total(loaded), "files": loaded}
    tab.eval(script)
    for i, q in enumerate(QUERIES):
        tab.eval(f"run({json.dumps(q)})")
        got = tab.responses()
        out["queries"].setdefault(q, {})["bytes_in_sequence"] = total(got)
        if i == 0:
            out["first_query_files"] = got
        out["queries"][q]["fragment_bytes_in_sequence"] = total(
            (u, n) for u, n in got if "/fragment/" in u)
    tab.close()
    # Each query as the first one of a fresh tab; times over several runs.
    for q in QUERIES:
        cold, warm, first_bytes = [], [], []
        for _ in range(runs):
            tab = Tab(browser)
            tab.goto(base + page)
            tab.responses()
            tab.eval(script)
            cold.append(tab.eval(f"run({json.dumps(q)})"))
            first_bytes.append(total(tab.responses()))
            warm.append(tab.eval(f"run({json.dumps(q)})"))
            tab.close()
        out["queries"][q].update(first_query_bytes=statistics.median(first_bytes),
                                 results=cold[0]["results"], cold_ms=medians(cold),
                                 warm_ms=medians(warm))
    return out


def medians(runs):
    """Median time to the 10 results' data (ms) and, for Pagefind, to the ranked list."""
    keys = [k for k in ("ms", "ranked_ms") if k in runs[0]]
    return {k: round(statistics.median(r[k] for r in runs), 1) for k in keys}


def pagefind_after_init(browser, base, runs):
    """Pagefind loaded beforehand (script, worker, wasm, metadata): the query's own time."""
    times = {}
    for q in QUERIES:
        ms = []
        for _ in range(runs):
            tab = Tab(browser)
            tab.goto(base + "/bench.html")
            tab.eval(PAGEFIND_JS)
            tab.eval("run('', true)")
            tab.responses()
            ms.append(tab.eval(f"run({json.dumps(q)})"))
            tab.close()
        times[q] = medians(ms)
    return times


def main():
    pf_url, taxon_url = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/")
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    browser = Browser()
    try:
        result = {
            "load_average_before": os.getloadavg(),
            "pagefind": measure(browser, pf_url, "/bench.html", PAGEFIND_JS, runs),
            "pagefind_after_init_ms": pagefind_after_init(browser, pf_url, runs),
            "taxon": measure(browser, taxon_url, "/", TAXON_JS, runs),
        }
        result["load_average_after"] = os.getloadavg()
    finally:
        browser.close()
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
