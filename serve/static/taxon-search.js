// The search box of taxon-serve, for its search page and for the Hugo
// partial: results as you type from /api/search (or /api/suggest), each
// with its breadcrumb and a link to the heading, a page outline beside them,
// and keyboard use (arrows, Enter, Escape). Every text from the index goes
// into the page as text (textContent), never as markup, and only http(s)
// links become links.
//
// <div data-taxon-search            where the box goes
//      data-api="https://host:port" the server (default: this page's own)
//      data-endpoint="search"       or "suggest"
//      data-limit="10"              results shown
//      data-tree="true"             show the outline of the chosen result
//      data-label="Search the site">
"use strict";
(function () {
  var boxes = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The link of a hit, only when it is http(s): an index is written from
  // pages, and a page's front matter may say anything.
  function safeHref(url) {
    if (typeof url !== "string" || url === "") return null;
    try {
      var u = new URL(url, document.baseURI);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function heading(h) { return h.number ? h.number + " " + h.label : h.label; }

  function setup(root) {
    var n = ++boxes;
    var api = (root.getAttribute("data-api") || "").replace(/\/+$/, "");
    var endpoint = root.getAttribute("data-endpoint") === "suggest" ? "suggest" : "search";
    var limit = parseInt(root.getAttribute("data-limit") || "10", 10) || 10;
    var withTree = root.getAttribute("data-tree") === "true";
    root.classList.add("taxon-search");

    var form = el("form", { role: "search", class: "taxon-form" });
    var inputId = "taxon-q-" + n, listId = "taxon-results-" + n;
    form.appendChild(el("label", { for: inputId }, root.getAttribute("data-label") || "Search the site"));
    var input = el("input", {
      id: inputId, type: "search", role: "combobox", autocomplete: "off", spellcheck: "false",
      "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": listId,
      placeholder: "Type a topic, e.g. debris miti"
    });
    form.appendChild(input);
    var status = el("p", { class: "taxon-status", role: "status", "aria-live": "polite" });
    var body = el("div", { class: "taxon-body" + (withTree ? "" : " taxon-no-tree") });
    var list = el("ul", { id: listId, class: "taxon-results", role: "listbox", "aria-label": "Results" });
    var tree = el("section", { class: "taxon-tree", "aria-label": "Outline of the page" });
    tree.hidden = true;
    body.appendChild(list);
    if (withTree) body.appendChild(tree);
    root.appendChild(form);
    root.appendChild(status);
    root.appendChild(body);

    var hits = [], active = -1, timer = null, treeTimer = null, pending = null, treePending = null;

    function fetchJson(path, params, previous) {
      if (previous) previous.ctrl.abort();
      var ctrl = new AbortController();
      var url = api + path + "?" + new URLSearchParams(params).toString();
      var p = fetch(url, { signal: ctrl.signal, headers: { Accept: "application/json" } })
        .then(function (r) {
          return r.json().then(function (j) {
            if (!r.ok) throw new Error(j && j.error ? j.error : "HTTP " + r.status);
            return j;
          });
        });
      return { ctrl: ctrl, promise: p };
    }

    function show(r, q) {
      hits = (r.hits || r.suggestions || []).slice(0, limit);
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.replaceChildren();
      hits.forEach(function (h, i) {
        var li = el("li", { id: listId + "-" + i, role: "option", "aria-selected": "false" });
        var href = safeHref(h.url);
        var a = el(href ? "a" : "span", href ? { href: href, tabindex: "-1" } : null);
        a.appendChild(el("span", { class: "taxon-label" }, heading(h)));
        if (h.breadcrumb) a.appendChild(el("span", { class: "taxon-crumb" }, h.breadcrumb));
        if (h.keywords) a.appendChild(el("span", { class: "taxon-keywords" }, h.keywords));
        li.appendChild(a);
        li.addEventListener("mousemove", function () { if (active !== i) select(i, false); });
        list.appendChild(li);
      });
      input.setAttribute("aria-expanded", hits.length ? "true" : "false");
      var words = [];
      if (r.used_correction && r.corrected) words.push("showing results for \u201c" + r.corrected + "\u201d");
      if (r.completed && r.completed.to) words.push(r.completed.from + " \u2192 " + r.completed.to);
      var count = hits.length === 0 ? "No results for \u201c" + q + "\u201d"
        : hits.length + (hits.length === 1 ? " result" : " results") +
          (r.estimated_total > hits.length ? " of " + (r.total_is_exact ? "" : "about ") + r.estimated_total : "");
      status.classList.remove("taxon-error");
      status.textContent = count + (words.length ? " (" + words.join("; ") + ")" : "");
      tree.hidden = true;
      if (hits.length && withTree) select(0, false);
    }

    function clear() {
      if (pending) pending.ctrl.abort();
      hits = [];
      active = -1;
      list.replaceChildren();
      tree.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      status.textContent = "";
    }

    function run() {
      var q = input.value;
      if (!q.trim()) { clear(); return; }
      var params = { q: q, limit: String(limit) };
      pending = fetchJson("/api/" + endpoint, params, pending);
      var mine = pending;
      mine.promise.then(function (r) { if (pending === mine) show(r, q); })
        .catch(function (e) {
          if (e.name === "AbortError" || pending !== mine) return;
          list.replaceChildren();
          hits = [];
          tree.hidden = true;
          input.setAttribute("aria-expanded", "false");
          status.classList.add("taxon-error");
          status.textContent = e.message;
        });
    }

    function select(i, scroll) {
      var old = list.children[active];
      if (old) { old.classList.remove("taxon-active"); old.setAttribute("aria-selected", "false"); }
      active = i;
      var li = list.children[i];
      if (!li) { input.removeAttribute("aria-activedescendant"); return; }
      li.classList.add("taxon-active");
      li.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", li.id);
      if (scroll) li.scrollIntoView({ block: "nearest" });
      if (withTree) {
        clearTimeout(treeTimer);
        treeTimer = setTimeout(function () { loadTree(hits[i]); }, 80);
      }
    }

    function loadTree(h) {
      if (!h || !h.url) return;
      var hash = h.url.indexOf("#");
      var page = hash < 0 ? h.url : h.url.slice(0, hash);
      var anchor = hash < 0 ? "" : h.url.slice(hash + 1);
      treePending = fetchJson("/api/tree", { page: page, hit: anchor || String(h.ordinal || "") }, treePending);
      var mine = treePending;
      mine.promise.then(function (t) { if (treePending === mine) drawTree(t); })
        .catch(function () { if (treePending === mine) tree.hidden = true; });
    }

    function drawTree(t) {
      tree.replaceChildren();
      tree.appendChild(el("h2", null, t.page.title ? "In \u201c" + t.page.title + "\u201d" : "Outline"));
      var top = el("ul", { role: "tree", "aria-label": "Outline of " + (t.page.title || "the page") });
      var lists = { "-1": top }, mark = null;
      t.headings.forEach(function (h) {
        var li = el("li", { role: "treeitem", "aria-level": String(h.level) });
        if (h.on_path) li.classList.add("taxon-on-path");
        if (h.hit) { li.classList.add("taxon-hit"); li.setAttribute("aria-current", "true"); mark = li; }
        var href = safeHref(h.url);
        li.appendChild(el(href ? "a" : "span", href ? { href: href } : null, heading(h)));
        var parent = lists[String(h.parent)] || top;
        parent.appendChild(li);
        var group = el("ul", { role: "group" });
        li.appendChild(group);
        lists[String(h.ordinal)] = group;
      });
      // Empty groups are left out, so only branches read as expandable.
      top.querySelectorAll("ul[role=group]").forEach(function (g) {
        if (!g.children.length) g.remove(); else g.parentNode.setAttribute("aria-expanded", "true");
      });
      tree.appendChild(top);
      tree.hidden = false;
      if (mark) {
        var box = tree.getBoundingClientRect(), at = mark.getBoundingClientRect();
        tree.scrollTop += at.top - box.top - box.height / 3;
      }
    }

    function open(i) {
      var h = hits[i], href = h && safeHref(h.url);
      if (href) window.location.assign(href);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && hits.length) {
        e.preventDefault();
        select(Math.min(active + 1, hits.length - 1), true);
      } else if (e.key === "ArrowUp" && hits.length) {
        e.preventDefault();
        select(Math.max(active - 1, 0), true);
      } else if (e.key === "Enter") {
        e.preventDefault();
        if (active >= 0) open(active);
        else { clearTimeout(timer); run(); }
      } else if (e.key === "Escape") {
        e.preventDefault();
        if (hits.length) clear(); else input.value = "";
      }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; run(); }
  }

  function start() {
    document.querySelectorAll("[data-taxon-search]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
