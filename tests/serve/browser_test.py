#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The search page of taxon-serve in headless Chromium, through its DevTools
protocol: type a partial word, see the expected hit with its breadcrumb and
its outline, move with the keyboard, check that hostile headings stay text,
follow the hit's link, and save a screenshot.

Exit status: 0 passed, 1 failed, 77 skipped (no Chromium or no
python3-websocket: ctest reports the test as skipped).

Usage: browser_test.py --serve BIN --index BIN --out DIR
       browser_test.py --serve BIN --db DB --query TEXT --shot FILE.png [--base-url URL]
         (the second form only takes a screenshot of the page, for the docs)
"""
import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

SKIP = 77
DEADLINE = time.monotonic() + 60  # the whole test, whatever happens


class Failure(Exception):
    pass


def check(ok, what):
    if not ok:
        raise Failure(what)
    print("ok: " + what, flush=True)


def left(cap):
    """Seconds a wait may take: at most `cap`, never past the deadline."""
    return max(0.1, min(cap, DEADLINE - time.monotonic()))


PAGES = {
    "maps/space.md": """---
title: "Space Consortium"
---
# Space Consortium; space consortium collaboration
## 3. Strategic Objectives; strategic goals
### 3.2 Security Interests; space security protection interests
#### Debris Mitigation; space debris mitigation cleanup
#### Critical Infrastructure; critical infrastructure resilience
### 3.3 Economic Development; commercial growth
## Hostile Headings; markup in labels
### <script>alert(1)</script> Scripted; hostile script element
### <img src=x onerror=alert(1)> Imaged; hostile image element
### "onmouseover=alert(1) Quoted; hostile attribute
### [Linked](javascript:alert(1)) Heading; hostile link
""",
    "maps/odd.md": """---
title: "Odd Link"
url: "javascript://x%0aalert(1)"
---
# Odd Link Page; hostile permalink
""",
    "other/ground.md": """---
title: "Ground Station"
---
# Ground Station; antenna uplink
""",
}


def start_server(serve, db, extra, log):
    proc = subprocess.Popen([serve, "--listen", "127.0.0.1:0", "--db", db] + extra,
                            stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL)
    end = time.monotonic() + left(15)
    line = b""
    os.set_blocking(proc.stdout.fileno(), False)
    while time.monotonic() < end and not line.endswith(b"\n"):
        chunk = proc.stdout.read(256)
        if chunk:
            line += chunk
        elif proc.poll() is not None:
            break
        else:
            time.sleep(0.02)
    url = line.decode().strip()
    if not url.startswith("http://"):
        proc.kill()
        raise Failure("taxon-serve printed no URL")
    return proc, url


def stop(proc, seconds=10):
    if proc.poll() is None:
        proc.terminate()
    try:
        return proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


class Browser:
    """Headless Chromium with one page, driven over the DevTools websocket."""

    def __init__(self, profile):
        import websocket  # python3-websocket

        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        args = [exe, "--headless=new", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                "--disable-gpu", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--metrics-recording-only",
                "--window-size=1200,800", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium's sandbox refuses to run as root
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        port_file = os.path.join(profile, "DevToolsActivePort")
        end = time.monotonic() + left(20)
        port = None
        while time.monotonic() < end and port is None:
            try:
                with open(port_file) as f:
                    first = f.readline().strip()
                    port = int(first) if first else None
            except (OSError, ValueError):
                pass
            if port is None:
                if self.proc.poll() is not None:
                    raise Failure("chromium exited at start")
                time.sleep(0.05)
        if port is None:
            raise Failure("chromium opened no DevTools port")
        with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=left(5)) as r:
            targets = json.load(r)
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=left(10),
                                              suppress_origin=True)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.settimeout(left(10))
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise Failure("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})

    def eval(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                      awaitPromise=True)
        if "exceptionDetails" in r:
            raise Failure("page script failed: %s" % r["exceptionDetails"].get("text"))
        return r["result"].get("value")

    def wait_for(self, expression, what, seconds=10):
        end = time.monotonic() + left(seconds)
        value = None
        while time.monotonic() < end:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.05)
        state = self.eval("(() => { const i = document.querySelector('[data-taxon-search] input');"
                          " const s = document.querySelector('[role=status]');"
                          " return 'box: ' + JSON.stringify(i ? i.value : null) +"
                          " ', status: ' + JSON.stringify(s ? s.textContent : null); })()")
        raise Failure("waited %ss for %s (%s)" % (seconds, what, state))

    def key(self, key, code, keycode):
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                      windowsVirtualKeyCode=keycode, nativeVirtualKeyCode=keycode)

    def type(self, text):
        self.eval("document.querySelector('[data-taxon-search] input').focus()")
        self.call("Input.insertText", text=text)

    def screenshot(self, path):
        shot = self.call("Page.captureScreenshot", format="png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()


RESULTS = """JSON.stringify(Array.from(document.querySelectorAll('.taxon-results li')).map(li => ({
  label: (li.querySelector('.taxon-label') || {}).textContent,
  crumb: (li.querySelector('.taxon-crumb') || {}).textContent || '',
  href: (li.querySelector('a') || {}).href || null,
  active: li.classList.contains('taxon-active')})))"""


def open_page(b, url):
    # Any alert() the page runs is counted instead of shown.
    b.call("Page.enable")
    b.call("Emulation.setDeviceMetricsOverride", width=1200, height=820, deviceScaleFactor=1,
           mobile=False)
    b.call("Page.addScriptToEvaluateOnNewDocument",
           source="window.__alerts = 0; window.alert = function () { window.__alerts++; };")
    b.call("Page.navigate", url=url)
    b.wait_for("document.readyState === 'complete' && "
               "!!document.querySelector('[data-taxon-search] input')", "the search box")


def search_page_test(args):
    work = tempfile.mkdtemp(prefix="taxon-browser-")
    server = browser = None
    log = open(os.path.join(args.out, "taxon-serve.log"), "w")
    try:
        content = os.path.join(work, "content")
        for rel, text in PAGES.items():
            os.makedirs(os.path.dirname(os.path.join(content, rel)), exist_ok=True)
            with open(os.path.join(content, rel), "w") as f:
                f.write(text)
        db = os.path.join(work, ".taxon")
        subprocess.run([args.index, "--quiet", "--db", db, content], check=True,
                       timeout=left(30))
        server, url = start_server(args.serve, db, [], log)
        # What the API says, to hold the page to it.
        q = urllib.parse.urlencode({"q": "debris miti"})
        with urllib.request.urlopen(url + "api/search?" + q, timeout=left(5)) as r:
            want = json.load(r)["hits"][0]
        check(want["label"] == "Debris Mitigation", "the API finds the hit")

        browser = Browser(os.path.join(work, "profile"))
        b = browser
        open_page(b, url)
        check(b.eval("document.querySelector('label[for]').textContent") == "Search the site",
              "the search box has a label")
        check(b.eval("document.querySelector('[role=status]').getAttribute('aria-live')") ==
              "polite", "results are announced in a live region")

        b.type("debris miti")
        b.wait_for("document.querySelectorAll('.taxon-results li').length > 0", "results as you type")
        hits = json.loads(b.eval(RESULTS))
        top = hits[0]
        check(top["label"] == "Debris Mitigation", "the partial word finds Debris Mitigation")
        check(top["crumb"] == want["breadcrumb"] ==
              "Space Consortium \u203a 3. Strategic Objectives \u203a 3.2 Security Interests",
              "the hit shows its breadcrumb")
        check(top["href"].endswith("#" + want["anchor"]), "the hit links to the heading's anchor")
        check(b.eval("document.querySelector('[role=listbox] [role=option]') !== null"),
              "results are a listbox of options")
        b.wait_for("(() => { const t = document.querySelector('.taxon-tree');"
                   " return t && !t.hidden && t.querySelector('.taxon-hit a') &&"
                   " t.querySelector('.taxon-hit a').textContent === 'Debris Mitigation'; })()",
                   "the outline with the hit marked")
        on_path = b.eval("Array.from(document.querySelectorAll('.taxon-tree .taxon-on-path > a'))"
                         ".map(a => a.textContent).join(' / ')")
        check(on_path == "Space Consortium / 3. Strategic Objectives / 3.2 Security Interests / "
              "Debris Mitigation", "the outline marks the hit's branch")
        b.screenshot(os.path.join(args.out, "serve-page.png"))
        check(os.path.getsize(os.path.join(args.out, "serve-page.png")) > 5000,
              "screenshot saved to " + os.path.join(args.out, "serve-page.png"))

        # Hostile headings are text, and run nothing.
        b.eval("document.querySelector('[data-taxon-search] input').value = ''")
        b.type("hostile")
        b.wait_for("document.querySelectorAll('.taxon-results li').length >= 4", "hostile headings")
        labels = [h["label"] for h in json.loads(b.eval(RESULTS))]
        check(any("Scripted" in l for l in labels) and any("Quoted" in l for l in labels),
              "hostile headings are listed: %r" % labels)
        b.eval("document.querySelectorAll('.taxon-results li').forEach(li =>"
               " li.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})))")
        time.sleep(0.3)
        check(b.eval("document.querySelectorAll('.taxon-search script, .taxon-search img,"
                     " .taxon-search [onmouseover], .taxon-search [onerror]').length") == 0,
              "no element made of page text")
        check(b.eval("Array.from(document.querySelectorAll('.taxon-search a'))"
                     ".every(a => a.protocol === 'http:' || a.protocol === 'https:')"),
              "every link is http(s)")
        # Keyboard: down, down, up, Escape.
        box = "document.querySelector('[data-taxon-search] input')"
        b.key("ArrowDown", "ArrowDown", 40)
        b.key("ArrowDown", "ArrowDown", 40)
        check(b.eval(box + ".getAttribute('aria-activedescendant')").endswith("-2"),
              "ArrowDown moves through the results")
        b.key("ArrowUp", "ArrowUp", 38)
        check(json.loads(b.eval(RESULTS))[1]["active"], "ArrowUp moves back")
        b.wait_for("(document.querySelector('.taxon-tree .taxon-hit a') || {}).textContent === "
                   + json.dumps(labels[1]), "the outline follows the chosen result")
        b.key("Escape", "Escape", 27)
        check(b.eval("document.querySelectorAll('.taxon-results li').length") == 0 and
              b.eval(box + ".getAttribute('aria-expanded')") == "false", "Escape clears the results")
        b.eval("document.querySelector('[data-taxon-search] input').value = ''")
        b.type("odd link page")
        b.wait_for("Array.from(document.querySelectorAll('.taxon-label'))"
                   ".some(s => s.textContent === 'Odd Link Page')", "the page with a javascript: url")
        check(b.eval("Array.from(document.querySelectorAll('.taxon-results li'))"
                     ".filter(li => li.textContent.includes('Odd Link Page'))"
                     ".every(li => !li.querySelector('a'))"),
              "a javascript: permalink is not a link")
        check(b.eval("window.__alerts") == 0, "no alert() ran")

        # Follow the hit's link with Enter.
        b.eval("document.querySelector('[data-taxon-search] input').value = ''")
        b.type("debris miti")
        b.wait_for("(document.querySelector('.taxon-results li.taxon-active .taxon-label') || {})"
                   ".textContent === 'Debris Mitigation'", "the hit, chosen")
        b.key("Enter", "Enter", 13)
        b.wait_for("location.hash === %s" % json.dumps("#" + want["anchor"]),
                   "Enter to follow the link")
        check(b.eval("location.href") == top["href"], "the link was followed")
        b.close()
        browser = None
        check(stop(server) == 0, "taxon-serve stops with 0 on SIGTERM")
        server = None
        return 0
    finally:
        if browser:
            browser.close()
        if server:
            stop(server)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def screenshot_only(args):
    work = tempfile.mkdtemp(prefix="taxon-shot-")
    server = browser = None
    try:
        extra = ["--base-url", args.base_url] if args.base_url else []
        server, url = start_server(args.serve, args.db, extra, subprocess.DEVNULL)
        browser = Browser(os.path.join(work, "profile"))
        open_page(browser, url)
        browser.type(args.query)
        browser.wait_for("(() => { const t = document.querySelector('.taxon-tree');"
                         " return !!(t && !t.hidden && t.querySelector('.taxon-hit')); })()",
                         "results and an outline")
        time.sleep(0.3)
        browser.screenshot(args.shot)
        print("screenshot: " + args.shot)
        return 0
    finally:
        if browser:
            browser.close()
        if server:
            stop(server)
        shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--serve", required=True)
    p.add_argument("--index")
    p.add_argument("--out")
    p.add_argument("--db")
    p.add_argument("--query")
    p.add_argument("--shot")
    p.add_argument("--base-url")
    args = p.parse_args()
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print("SKIPPED: chromium is not installed (scripts/deps.sh browser installs it)")
        return SKIP
    try:
        import websocket  # noqa: F401
    except ImportError:
        print("SKIPPED: python3-websocket is not installed (scripts/deps.sh browser installs it)")
        return SKIP
    try:
        if args.shot:
            return screenshot_only(args)
        os.makedirs(args.out, exist_ok=True)
        return search_page_test(args)
    except Failure as e:
        print("FAILED: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
