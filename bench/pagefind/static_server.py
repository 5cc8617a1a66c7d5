#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Serves a built site over HTTP/1.1 the way a static host does: files as they are, with
text files (HTML, CSS, JavaScript, JSON) gzip-compressed when the client accepts gzip.
Pagefind's index, fragment and wasm files are compressed by Pagefind already and are sent
as they are. /bench.html is an empty page to run the measurements from.

Usage: static_server.py ROOT PORT   (prints its URL once it listens; port 0 picks one)
"""
import gzip
import http.server
import os
import sys

TEXT = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
        ".json": "application/json"}
BENCH_PAGE = b"<!doctype html><html lang=en><meta charset=utf-8><title>bench</title></html>"


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # as static hosts do (nginx: tcp_nodelay on)

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/bench.html":
            return self.send(BENCH_PAGE, "text/html; charset=utf-8", compress=False)
        file = self.translate_path(path)
        if os.path.isdir(file):
            file = os.path.join(file, "index.html")
        if not os.path.isfile(file):
            return self.send_error(404)
        with open(file, "rb") as f:
            body = f.read()
        ext = os.path.splitext(file)[1]
        self.send(body, TEXT.get(ext, "application/octet-stream"), compress=ext in TEXT)

    def send(self, body, content_type, compress):
        gz = compress and "gzip" in self.headers.get("Accept-Encoding", "")
        if gz:
            body = gzip.compress(body, 6)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if gz:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.wfile.write(body)


def main():
    root, port = sys.argv[1], int(sys.argv[2])
    handler = lambda *a, **k: Handler(*a, directory=root, **k)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
