"""Starting and stopping `stressd serve` for a test."""
import os
import re
import secrets
import signal
import socket
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, List, NamedTuple, Optional, Sequence, Set
from urllib.parse import urlencode

from harness import procs
from harness.api_client import ApiClient

LOG_LINE = re.compile(r'^ts=(\S+) level=(\S+) msg="([^"]*)"(.*)$')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerTLS(NamedTuple):
    """The agent's certificate and key, and the CA its clients trust."""
    cert: Path
    key: Path
    ca: Path


class ServeAgent:
    """One `stressd serve` a test starts, on files no other user can read
    or plant: a new 0700 folder holding the token file (0600), the state
    directory (0700), the config (0600, the suite's text) and the log.

    `wrap` puts a command in front of the agent's (nsenter for a network
    namespace, unshare for a PID namespace); a wrapped agent runs in a
    session of its own, so that a last-resort SIGKILL reaches all the
    wrapper started, and `pid` is the agent's own, found below the wrapper.
    """

    def __init__(self, binary: str, folder: Path, *, config: str = "", args: Sequence[str] = (),
                 host: str = "127.0.0.1", port: Optional[int] = None, tls: Optional[ServerTLS] = None,
                 token: Optional[str] = None, state_dir: Optional[Path] = None, log_level: str = "info",
                 wrap: Optional[Callable[[List[str]], List[str]]] = None):
        folder.mkdir(mode=0o700)
        self.name, self.folder, self.binary, self.wrap = folder.name, folder, binary, wrap
        self.token = token or secrets.token_hex(32)
        self.token_file = _private_file(folder / "token", self.token + "\n")
        self.config = _private_file(folder / "stressd.toml", config)
        if state_dir is None:
            state_dir = folder / "state"
            state_dir.mkdir(mode=0o700)
        self.state_dir = state_dir
        self.log_path = folder / "serve.log"
        self.port = port or free_port()
        self.url = f"{'https' if tls else 'http'}://{host}:{self.port}"
        self.client = ApiClient(self.url, self.token, str(tls.ca) if tls else None)
        self.command = [
            binary, "serve", "--listen", f"{host}:{self.port}",
            "--token-file", str(self.token_file), "--state-dir", str(self.state_dir),
            "--config", str(self.config), "--log-level", log_level,
            *(["--tls-cert", str(tls.cert), "--tls-key", str(tls.key)] if tls else []),
            *args,
        ]
        self.proc: Optional[subprocess.Popen] = None
        self.pid: Optional[int] = None
        # What the wrapper started besides the agent (api: the namespace's
        # sh and the test's own sleep): not the agent's, in the checks.
        self.wrapper: Set[int] = set()

    # -- the process ----------------------------------------------------------
    def launch(self, within: float = 15) -> None:
        """Starts the agent and waits until it answers; one that does not
        is killed. Again once the last one has ended: a restart on the same
        files and port."""
        command = self.wrap(self.command) if self.wrap else self.command
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=self.wrap is not None)
        self.pid = self.proc.pid
        try:
            self._wait_healthy(within)
        except BaseException:
            self.kill()
            raise

    def _wait_healthy(self, within: float) -> None:
        deadline = time.monotonic() + within
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"agent {self.name} exited: {self.log_text()[-3000:]}")
            try:
                if self.api("GET", "/healthz", auth=False, timeout=1)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"agent {self.name} not healthy in {within:g}s: {self.log_text()[-3000:]}")
            time.sleep(0.05)
        if self.wrap:
            snap = procs.snapshot()
            tree = {self.proc.pid} | procs.descendants(self.proc.pid, snap)
            serve = [p for p in tree if p in snap and snap[p].argv[:2] == [self.binary, "serve"]]
            if not serve:
                raise RuntimeError(f"agent {self.name}: no `{self.binary} serve` among its wrapper's processes")
            self.pid, self.wrapper = serve[0], tree - {serve[0]}

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 15) -> List[str]:
        """SIGTERM (the agent stops every attack and cleans up), SIGKILL
        after `grace` seconds; says what went wrong (empty: nothing)."""
        if not self.alive():
            return []
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=grace)
            return []
        except subprocess.TimeoutExpired:
            self.kill()
            return [f"{self.name}: did not exit {grace:g}s after SIGTERM"]

    def kill(self) -> None:
        """SIGKILL now: what a crash does, and the last resort of `stop`."""
        try:
            if self.wrap:
                os.killpg(self.proc.pid, signal.SIGKILL)
            else:
                self.proc.kill()
        except ProcessLookupError:
            pass
        self.proc.wait()

    # -- the API --------------------------------------------------------------
    def api(self, method: str, path: str, body=None, auth: bool = True, timeout: float = 10):
        return self.client.request(method, path, body, auth=auth, timeout=timeout)

    def attacks(self, **query: str) -> list:
        """GET /v1/attacks, narrowed by `state` or `label`."""
        status, body = self.api("GET", "/v1/attacks" + (f"?{urlencode(query)}" if query else ""))
        assert status == 200, (self.name, status, body)
        return body

    def running(self) -> list:
        """The running attacks, picked here from the whole list: the check
        does not rest on the agent's own filter."""
        return [a for a in self.attacks() if a.get("state") == "running"]

    def report(self, attack_id: str) -> dict:
        status, body = self.api("GET", f"/v1/reports/{attack_id}")
        assert status == 200, (self.name, status, body)
        return body

    # -- the log --------------------------------------------------------------
    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def events(self) -> List[dict]:
        """The agent's logfmt lines as {ts (Unix time, ms precision), level,
        msg, and the line's other fields}."""
        out = []
        for line in self.log_text().splitlines():
            m = LOG_LINE.match(line)
            if not m:
                continue
            ts = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            fields = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', m.group(4)))
            out.append({"ts": ts.timestamp(), "level": m.group(2), "msg": m.group(3),
                        **{k: v.strip('"') for k, v in fields.items()}})
        return out


def _private_file(path: Path, text: str) -> Path:
    """Writes a new file only its owner can read (it fails if one is there)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path
