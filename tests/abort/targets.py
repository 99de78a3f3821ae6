"""
The services the conditions watch, as the tests run and break them: an
HTTP service (service.py in a subprocess, steered through files) and TCP
sockets held by the test itself. Each breaking method returns when
(time.monotonic()) the break took effect, for the tests' time bounds.
"""
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Optional

import pytest

SERVICE = Path(__file__).with_name("service.py")


def wait_for(predicate: Callable[[], object], timeout: float, what: str, step: float = 0.02):
    """Polls until `predicate()` is truthy and returns it; fails naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        got = predicate()
        if got:
            return got
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:g}s")
        time.sleep(step)


class Service:
    """One service.py: its URL, and the switches the test flips."""

    def __init__(self, folder: Path):
        folder.mkdir(mode=0o700)
        self.folder = folder
        with open(folder / "stderr", "wb") as err:
            self.proc = subprocess.Popen([sys.executable, str(SERVICE), str(folder)],
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        try:
            self.port = int(wait_for(self._port, 10, "the service's port"))
        except BaseException:
            self.kill()
            raise
        self.url = f"http://127.0.0.1:{self.port}/"

    def _port(self) -> Optional[str]:
        assert self.proc.poll() is None, (self.folder / "stderr").read_text()
        try:
            return (self.folder / "port").read_text()
        except FileNotFoundError:
            return None

    def _write(self, name: str, text: str) -> None:
        tmp = self.folder / f".{name}.test"
        tmp.write_text(text)
        os.replace(tmp, self.folder / name)

    def set(self, mode: str) -> float:
        """`200`, `500`, `500 once`, `slow S` (service.py): the next request sees it."""
        self._write("mode", mode)
        return time.monotonic()

    def mode(self) -> str:
        return (self.folder / "mode").read_text().strip()

    def errors(self, n: int) -> float:
        """What /metrics says `test_errors_total` is from now on."""
        self._write("errors", str(n))
        return time.monotonic()

    def kill(self) -> float:
        """SIGKILL, waited for: its port refuses connections once this returns."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        return time.monotonic()


class Listener:
    """A listening socket on loopback the test holds. A thread accepts and
    closes every connection: else the accept queue fills up, and the
    connects of a check every 200 ms start to time out."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self.sock.accept()
                conn.close()
            except socket.timeout:
                continue
            except OSError:
                return

    def close(self) -> float:
        """Stops listening: connects are refused once this returns."""
        if not self._closing.is_set():
            self._closing.set()
            self._thread.join(5)
            self.sock.close()
        return time.monotonic()
