# SPDX-License-Identifier: MIT
"""A headless Chromium driven through the DevTools protocol, counting the bytes of every
response a page and its workers receive (encodedDataLength: bytes on the wire, headers
included, compressed as sent)."""
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import websocket


class Browser:
    def __init__(self, program="chromium"):
        self.profile = tempfile.mkdtemp(prefix="pagefind-bench-chrome-")
        self.proc = subprocess.Popen(
            [program, "--headless=new", "--remote-debugging-port=0", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", "--disable-sync",
             f"--user-data-dir={self.profile}", "about:blank"]
            # Chromium's sandbox refuses to run as root.
            + (["--no-sandbox"] if os.geteuid() == 0 else []),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in self.proc.stderr:
            m = re.search(r"DevTools listening on (ws://\S+)", line)
            if m:
                break
        else:
            raise RuntimeError("chromium did not start")
        self.ws = websocket.create_connection(m.group(1), max_size=None)
        self.ids = itertools.count(1)
        self.events = []

    def call(self, method, session=None, **params):
        msg_id = next(self.ids)
        msg = {"id": msg_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.on_event(reply)

    def on_event(self, event):
        method = event.get("method", "")
        if method == "Target.attachedToTarget":
            # A worker of the page (Pagefind searches in a web worker): count its requests too.
            session = event["params"]["sessionId"]
            self.ws.send(json.dumps({"id": next(self.ids), "method": "Network.enable",
                                     "sessionId": session, "params": {}}))
            self.ws.send(json.dumps({"id": next(self.ids), "sessionId": session,
                                     "method": "Runtime.runIfWaitingForDebugger", "params": {}}))
        elif method.startswith("Network."):
            self.events.append(event)

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            self.proc.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


class Tab:
    """A page in a browser context of its own: nothing cached from other tabs."""

    def __init__(self, browser):
        self.b = browser
        browser.events = []  # what earlier tabs left
        self.context = browser.call("Target.createBrowserContext")["browserContextId"]
        target = browser.call("Target.createTarget", url="about:blank",
                              browserContextId=self.context)["targetId"]
        self.session = browser.call("Target.attachToTarget", targetId=target,
                                    flatten=True)["sessionId"]
        browser.call("Target.setAutoAttach", session=self.session, autoAttach=True,
                     waitForDebuggerOnStart=True, flatten=True)
        browser.call("Network.enable", session=self.session)
        browser.call("Page.enable", session=self.session)

    def goto(self, url):
        self.b.call("Page.navigate", session=self.session, url=url)
        self.eval("new Promise(r => document.readyState === 'complete' ? r() :"
                  " addEventListener('load', () => r()))")

    def eval(self, expression):
        result = self.b.call("Runtime.evaluate", session=self.session, expression=expression,
                             awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(json.dumps(result["exceptionDetails"])[:500])
        return result["result"].get("value")

    def responses(self, settle=0.2):
        """The responses received since the last call: a list of (url, bytes on the wire)."""
        time.sleep(settle)
        self.eval("0")  # reads the events that arrived meanwhile
        urls, lengths, done = {}, {}, {}
        for e in self.b.events:
            p = e["params"]
            if e["method"] == "Network.responseReceived":
                urls[p["requestId"]] = p["response"]["url"]
                headers = {k.lower(): v for k, v in p["response"]["headers"].items()}
                lengths[p["requestId"]] = int(headers.get("content-length", 0))
            elif e["method"] == "Network.loadingFinished":
                done[p["requestId"]] = p["encodedDataLength"]
        # A worker's own script is reported with its headers only: add its body.
        for rid, n in done.items():
            if n < lengths.get(rid, 0):
                done[rid] = n + lengths[rid]
        self.b.events = [e for e in self.b.events if e["method"] == "Network.responseReceived"
                         and e["params"]["requestId"] not in done]
        return [(urls.get(rid, "?"), n) for rid, n in done.items()
                if not urls.get(rid, "").endswith("/favicon.ico")]

    def close(self):
        self.b.call("Target.disposeBrowserContext", browserContextId=self.context)
