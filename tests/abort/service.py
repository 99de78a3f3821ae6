"""
The service under test of the abort-condition suite: a small HTTP server
(ThreadingHTTPServer) that the test steers through files, so that it can
break mid-attack exactly when the test says, with no protocol of its own
to get wrong.

    service.py FOLDER

FOLDER/mode, read on every request, says how to answer any path but
/metrics:
    200          answer 200 at once (also when the file is missing)
    500          answer 500
    500 once     answer 500 to the next request, then 200 again (the file
                 is rewritten to `200`): one failure, not two in a row
    slow S       answer 200 after S seconds

/metrics answers `test_errors_total N` in Prometheus's text format, N the
content of FOLDER/errors (0 when missing): the exporter a Prometheus the
test runs scrapes.

It binds 127.0.0.1 on a port of the kernel's choosing, then writes the port
to FOLDER/port (renamed into place: whoever reads it reads it whole). It
runs until killed.
"""
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FOLDER = Path(sys.argv[1])
LOCK = threading.Lock()


def write(path: Path, text: str) -> None:
    """Atomically: a request never reads a half-written file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.write_text(text)
    os.replace(tmp, path)


def read(name: str, default: str) -> str:
    try:
        return (FOLDER / name).read_text().strip() or default
    except FileNotFoundError:
        return default


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        if self.path.split("?")[0] == "/metrics":
            body = f"# TYPE test_errors_total counter\ntest_errors_total {read('errors', '0')}\n"
            return self.answer(200, body, "text/plain; version=0.0.4")
        with LOCK:
            mode = read("mode", "200").split()
            if mode == ["500", "once"]:
                write(FOLDER / "mode", "200")
        if mode[0] == "slow":
            time.sleep(float(mode[1]))
            return self.answer(200, "slow but fine\n")
        if mode[0] == "500":
            return self.answer(500, "broken\n")
        return self.answer(200, "fine\n")

    def answer(self, status: int, body: str, content_type: str = "text/plain") -> None:
        data = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the check gave up waiting (a slow answer): nothing to tell

    def log_message(self, *args):
        pass


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    write(FOLDER / "port", str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
