"""
A real `stressd serve` on loopback for the API tests, set up so nothing the
tests (or schemathesis) send can hurt this machine:

- a 0700 temporary folder holds the token file (0600), the state directory
  (0700), the config and the agent's log;
- the agent runs in a PID namespace of its own (`unshare --pid --fork
  --mount-proc`), so the only processes a kill or pause attack can see are
  the agent, its workers and watchdogs, and one `sleep` the test owns
  (`Agent.owned_pid`, in the namespace's numbering); no selector, whatever
  a fuzzer writes, can reach another process of this machine;
- `Agent.fill_dir` is a 64 MiB tmpfs: the only disk path the tests steer
  fills to, so a fill is bounded by its size;
- `max-attacks`, the policy's `max-duration`, `disk-floor` come from each
  test's config.

`Agent.clean()` says what is left: running attacks (through the API),
ledger records, fill folders in the tmpfs, worker or watchdog processes.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import List, Optional

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCUMENT = REPO / "Sources" / "StressServer" / "openapi.yaml"


def stressd_bin() -> str:
    path = os.environ.get("STRESSD_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("set STRESSD_BIN to a stressd binary (make api-check does)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> List[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return out


def _descendants(pid: int) -> List[int]:
    found, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


class Agent:
    def __init__(self, folder: Path, config: str, extra_args: List[str]):
        self.folder = folder
        self.binary = stressd_bin()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(32)
        self.token_file = folder / "token"
        fd = os.open(self.token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, self.token.encode())
        os.close(fd)
        self.state = folder / "state"
        self.state.mkdir(mode=0o700)
        self.fill_dir = folder / "fill"
        self.fill_dir.mkdir(mode=0o700)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64M,mode=0700", "tmpfs", str(self.fill_dir)], check=True)
        self.config = folder / "stressd.toml"
        self.config.write_text(f'listen = "127.0.0.1:{self.port}"\n' + config)
        self.log_path = folder / "agent.log"
        self.owned_pid_file = folder / "owned.pid"
        # sh stays PID 1 of the namespace (the agent must not be: its
        # watchdogs refuse a supervisor pid of 1); it starts the owned
        # sleep, then the agent.
        script = (
            f'sleep 100000 & echo $! > "{self.owned_pid_file}"; '
            f'"{self.binary}" serve --config "{self.config}" --token-file "{self.token_file}" '
            f'--state-dir "{self.state}" {" ".join(extra_args)}; echo "agent exited $?"'
        )
        self.log = open(self.log_path, "ab")
        self.unshare = subprocess.Popen(
            ["unshare", "--pid", "--fork", "--mount-proc", "sh", "-c", script],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.unshare.poll() is not None:
                raise RuntimeError(f"agent exited: {self.log_path.read_text()[-2000:]}")
            try:
                if self.request("GET", "/healthz", auth=False)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.05)
        else:
            raise RuntimeError(f"agent did not answer: {self.log_path.read_text()[-2000:]}")
        self.owned_pid = int(self.owned_pid_file.read_text())
        self.agent_pid = next(p for p in _descendants(self.unshare.pid)
                              if _cmdline(p).startswith(f"{self.binary} serve "))

    # -- HTTP ------------------------------------------------------------------
    def request(self, method: str, path: str, body=None, auth: bool = True, timeout: float = 10):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if auth:
            req.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                raw = r.read()
                status, ctype = r.status, r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            raw, status, ctype = e.read(), e.code, e.headers.get("Content-Type", "")
        if "json" in ctype:
            return status, json.loads(raw)
        return status, raw.decode(errors="replace")

    def running(self) -> list:
        status, body = self.request("GET", "/v1/attacks?state=running")
        assert status == 200, body
        return body

    # -- what is left ----------------------------------------------------------
    def helpers(self) -> List[str]:
        """Worker and watchdog processes the agent left (its descendants
        but itself, the owned sleep and the reaped-by-no-one zombies)."""
        out = []
        for pid in _descendants(self.unshare.pid):
            line = _cmdline(pid)
            if " worker " in line or " watchdog " in line:
                out.append(f"{pid}: {line}")
        return out

    def clean(self) -> List[str]:
        left = []
        try:
            left += [f"running attack {a['id']}" for a in self.running()]
        except OSError as e:
            left.append(f"API unreachable: {e}")
        ledger = self.state / "ledger"
        if ledger.is_dir():
            left += [f"ledger record {p.name}" for p in ledger.iterdir() if not p.name.startswith(".")]
        left += [f"fill folder {p}" for p in self.fill_dir.iterdir()]
        left += [f"helper {h}" for h in self.helpers()]
        return left

    def wait_clean(self, timeout: float = 10) -> List[str]:
        deadline = time.monotonic() + timeout
        while True:
            left = self.clean()
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.1)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self):
        """SIGTERM the agent (it stops every attack and cleans up), then the
        namespace goes with its PID 1; the tmpfs is unmounted."""
        if self.unshare.poll() is None:
            try:
                os.kill(self.agent_pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.unshare.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.unshare.pid, signal.SIGKILL)
                self.unshare.wait(timeout=5)
        self.log.close()
        subprocess.run(["umount", str(self.fill_dir)], check=False)


@pytest.fixture
def make_agent():
    """make_agent(config_text, *extra_args) -> Agent; stopped at teardown."""
    folder = Path(tempfile.mkdtemp(prefix="stressd-api-"))
    os.chmod(folder, 0o700)
    agents = []

    def make(config: str = "", *extra_args: str) -> Agent:
        sub = folder / f"agent{len(agents)}"
        sub.mkdir(mode=0o700)
        agent = Agent(sub, config, list(extra_args))
        agents.append(agent)
        return agent

    yield make
    for agent in agents:
        agent.stop()
    if os.environ.get("KEEP_API_TMP"):
        print(f"kept {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
