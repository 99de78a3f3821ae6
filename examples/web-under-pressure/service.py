#!/usr/bin/env python3
"""The service under test: a tiny HTTP server (Python stdlib only).

GET / answers 200 with a small JSON body after a little work (a sum over
20 000 numbers, so CPU pressure shows in its latency); GET /stats says how many
requests it has answered. It listens on 127.0.0.1 only and exits by itself
when the process that started it (the experiment's `chaos`) is gone, so it
never outlives the experiment, even one killed with SIGKILL.

    python3 service.py --port 18080
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

served = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        global served
        if self.path == "/":
            total = sum(range(20000))
            with lock:
                served += 1
            body = {"status": "ok", "pid": os.getpid(), "work": total}
        elif self.path == "/stats":
            with lock:
                body = {"served": served}
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):  # quiet: the experiment's log is enough
        pass


def exit_with_parent(parent: int) -> None:
    """Exits when the starting process is gone (we are reparented)."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=18080)
    p.add_argument("--host", default="127.0.0.1")
    args = p.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=exit_with_parent, args=(os.getppid(),), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
