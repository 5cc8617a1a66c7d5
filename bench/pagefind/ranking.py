#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where the expected page (and heading) of each relevance judgement on data/hugo-docs lands,
for Pagefind and for taxon.

Usage: ranking.py PAGEFIND_SITE_URL SITE_PUBLIC TAXON_QUERY TAXON_DB QUERY_FILE...
  PAGEFIND_SITE_URL  static_server.py serving the site built by build_site.sh
  SITE_PUBLIC        that site's public/ folder (its pages name their Markdown file)
  TAXON_QUERY        the taxon-query program; TAXON_DB the index of data/hugo-docs
  QUERY_FILE         tests/relevance/queries.tsv, heldout.tsv: the lines under hugo-docs/
For each file: page Success@1 and MRR@10 for both, heading Success@1 for both (Pagefind's
heading: its first page when the heading is the page's title, else the sub-result of that
page, a section with an anchor, with the most matched words), and the queries where the two differ.
"""
import glob
import json
import os
import re
import subprocess
import sys

from cdp import Browser, Tab

PREFIX = "hugo-docs/content/en/"
DEPTH = 10

PAGEFIND_JS = """
window.top10 = async (q) => {
  window.pf ??= await import('/pagefind/pagefind.js');
  const search = await pf.search(q);
  const data = await Promise.all(search.results.slice(0, %d).map(r => r.data()));
  return data.map(d => ({url: d.url, title: d.meta.title,
                         subs: d.sub_results.filter(s => s.url.includes('#'))
                                            .map(s => [s.title, s.locations.length])}));
};
""" % DEPTH


def judgements(path):
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        if fields[3].startswith(PREFIX):
            yield {"category": fields[0], "query": fields[1], "label": fields[2],
                   "page": fields[3][len(PREFIX):], "number": fields[4] if len(fields) > 4 else ""}


def same_label(a, b):
    norm = lambda s: " ".join(s.casefold().split())
    return norm(a) == norm(b)


def sources(public):
    """Page URL path -> the Markdown file it was rendered from (relative to content/en)."""
    out = {}
    for html in glob.glob(os.path.join(public, "**", "index.html"), recursive=True):
        m = re.search(r'<meta name="taxon-source" content="([^"]+)"', open(html).read())
        if m:
            url = "/" + os.path.relpath(os.path.dirname(html), public).strip(".") + "/"
            out[url.replace("//", "/")] = m.group(1)
    return out


def pagefind_outcome(tab, j, source_of):
    results = tab.eval(f"top10({json.dumps(j['query'])})")
    pages = [source_of.get(r["url"].split("#")[0], r["url"]) for r in results]
    heading = False
    if pages and pages[0] == j["page"]:
        # The page's own link when the heading is its title; else the section (a sub-result
        # with an anchor) with the most matched words, the first of them on a tie.
        subs = results[0]["subs"]
        best = max(subs, key=lambda s: s[1])[0] if subs else None
        heading = same_label(results[0]["title"], j["label"]) or \
            (best is not None and same_label(best, j["label"]))
    return pages, heading


def taxon_outcome(program, db, j):
    def run(*args):
        out = subprocess.run([program, "--db", db, "--json", *args, "--", j["query"]],
                             capture_output=True, text=True)
        return json.loads(out.stdout)["hits"] if out.returncode == 0 else []
    strip = lambda path: path.split(PREFIX, 1)[-1]
    pages = [strip(h["path"]) for h in run("--group", "page", "--limit", str(DEPTH))]
    first = run("--limit", "1")
    heading = bool(first) and strip(first[0]["path"]) == j["page"] and \
        same_label(first[0]["label"], j["label"]) and \
        (not j["number"] or first[0].get("number", "").rstrip(".") == j["number"].rstrip("."))
    return pages, heading


def rank(pages, page):
    return pages.index(page) + 1 if page in pages[:DEPTH] else 0


def main():
    url, public, program, db, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    source_of = sources(public)
    browser = Browser()
    try:
        tab = Tab(browser)
        tab.goto(url.rstrip("/") + "/bench.html")
        tab.eval(PAGEFIND_JS)
        report = {}
        for path in files:
            rows = []
            for j in judgements(path):
                pf_pages, pf_heading = pagefind_outcome(tab, j, source_of)
                tx_pages, tx_heading = taxon_outcome(program, db, j)
                rows.append({**j, "pagefind": rank(pf_pages, j["page"]), "pagefind_heading": pf_heading,
                             "taxon": rank(tx_pages, j["page"]), "taxon_heading": tx_heading,
                             "pagefind_first": pf_pages[0] if pf_pages else "",
                             "taxon_first": tx_pages[0] if tx_pages else ""})
            n = len(rows)
            summary = {"queries": n}
            for who in ("pagefind", "taxon"):
                summary[who] = {
                    "page_success_at_1": round(sum(r[who] == 1 for r in rows) / n, 3),
                    "page_mrr_at_10": round(sum(1 / r[who] for r in rows if r[who]) / n, 3),
                    "heading_success_at_1": round(sum(r[who + "_heading"] for r in rows) / n, 3),
                    "page_not_in_top_10": sum(r[who] == 0 for r in rows)}
            summary["page_success_at_1_by_category"] = {
                c: {"queries": len(rs), **{who: round(sum(r[who] == 1 for r in rs) / len(rs), 3)
                                           for who in ("pagefind", "taxon")}}
                for c in dict.fromkeys(r["category"] for r in rows)
                for rs in [[r for r in rows if r["category"] == c]]}
            summary["differ"] = [{k: r[k] for k in ("category", "query", "page", "pagefind", "taxon",
                                                    "pagefind_first", "taxon_first")}
                                 for r in rows if (r["pagefind"] == 1) != (r["taxon"] == 1)]
            report[os.path.basename(path)] = summary
    finally:
        browser.close()
    json.dump(report, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
