"""
Fixtures: real `stressd serve` agents on loopback, each with its own token
file (0600), state directory and config, started from $STRESSD_BIN.

At teardown every agent is halted, checked for running attacks, sent
SIGTERM, and the test fails if an agent or any process it started (workers,
watchdogs) is still alive, or a fill folder is left.
"""
import json
import os
import secrets as pysecrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

import pytest

REPO = Path(__file__).resolve().parents[3]


def stressd_bin() -> str:
    for candidate in (
        os.environ.get("STRESSD_BIN"),
        "/tmp/stressd-labels/stressd",
        str(REPO / ".build" / "debug" / "stressd"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("no stressd binary: set STRESSD_BIN")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _http(url: str, token: Optional[str], method: str = "GET", body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            try:
                return r.status, (json.loads(raw) if raw else None)
            except ValueError:
                return r.status, raw.decode(errors="replace")
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode(errors="replace")


def _proc_cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _proc_ppid(pid: int) -> Optional[int]:
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        return int(stat.rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def processes_of(agent_pid: int, state_dir: str) -> List[str]:
    """Live processes the agent started: its children and descendants, any
    process naming it as --parent, or naming its state directory."""
    found = []
    pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    parents = {p: _proc_ppid(p) for p in pids}
    family = {agent_pid}
    changed = True
    while changed:
        changed = False
        for p, pp in parents.items():
            if pp in family and p not in family:
                family.add(p)
                changed = True
    for p in pids:
        if p == agent_pid or p == os.getpid():
            continue
        cmd = _proc_cmdline(p)
        if (
            p in family
            or f"--parent {agent_pid} " in cmd + " "
            or (state_dir in cmd and "stressd" in cmd)
        ) and _alive(p):
            found.append(f"{p}: {cmd.strip()}")
    return found


class AgentProc:
    """One running `stressd serve`."""

    def __init__(self, name: str, base: Path, binary: str, max_attacks: Optional[int],
                 token: Optional[str] = None):
        self.name = name
        self.dir = base / name
        self.dir.mkdir(mode=0o700, parents=True)
        os.chmod(self.dir, 0o700)
        self.state_dir = self.dir / "state"
        self.state_dir.mkdir(mode=0o700)
        self.token = token or pysecrets.token_hex(32)
        self.token_file = self.dir / "token"
        fd = os.open(self.token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self.token + "\n")
        # small floors, so a tiny tmpfs can be filled and its floor crossed
        self.config = self.dir / "stressd.toml"
        self.config.write_text('[policy]\ndisk-floor = "1M"\nmax-duration = "5m"\n')
        os.chmod(self.config, 0o600)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [
            binary, "serve",
            "--listen", f"127.0.0.1:{self.port}",
            "--token-file", str(self.token_file),
            "--state-dir", str(self.state_dir),
            "--config", str(self.config),
            "--log-level", "info",
        ]
        if max_attacks is not None:
            args += ["--max-attacks", str(max_attacks)]
        self.log = open(self.dir / "serve.log", "wb")
        self.proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT
        )
        try:
            self._wait_healthy()
        except BaseException:
            self.proc.kill()
            self.proc.wait()
            self.log.close()
            raise

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"agent {self.name} exited: {self.log_text()}")
            try:
                status, _ = _http(self.url + "/healthz", None, timeout=1)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"agent {self.name} not healthy in 15s: {self.log_text()}")

    def log_text(self) -> str:
        try:
            return (self.dir / "serve.log").read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def api(self, method: str, path: str, body=None):
        return _http(self.url + path, self.token, method, body)

    def attacks(self) -> list:
        status, body = self.api("GET", "/v1/attacks")
        assert status == 200, body
        return body

    def running(self) -> list:
        return [a for a in self.attacks() if a.get("state") == "running"]

    def shutdown(self) -> List[str]:
        """Halts, SIGTERMs, and returns what is wrong (empty when clean)."""
        problems = []
        if self.proc.poll() is None:
            try:
                self.api("DELETE", "/v1/attacks")
                left = self.running()
                if left:
                    problems.append(f"{self.name}: still running after halt: {left}")
            except OSError as x:
                problems.append(f"{self.name}: API unreachable at teardown: {x}")
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                problems.append(f"{self.name}: did not exit 15s after SIGTERM")
                self.proc.kill()
                self.proc.wait()
        deadline = time.monotonic() + 3
        procs = processes_of(self.proc.pid, str(self.state_dir))
        while procs and time.monotonic() < deadline:
            time.sleep(0.1)
            procs = processes_of(self.proc.pid, str(self.state_dir))
        if procs:
            problems.append(f"{self.name}: processes left: {procs}")
        self.log.close()
        return problems


class Agents:
    """Starts agents for one test and checks, at the end, that nothing of
    theirs is left."""

    def __init__(self, base: Path):
        self.base = base
        self.binary = stressd_bin()
        self.all: Dict[str, AgentProc] = {}
        self.fill_dirs: List[Path] = []
        self.mounts: List[Path] = []

    def start(self, *names: str, max_attacks: Optional[int] = None,
              token: Optional[str] = None) -> List[AgentProc]:
        out = []
        for n in names:
            a = AgentProc(n, self.base, self.binary, max_attacks, token)
            self.all[n] = a
            out.append(a)
        return out

    def configuration(self, names=None, **extra) -> dict:
        names = names or list(self.all)
        conf = {
            "stressd_agents": {
                n: {"url": self.all[n].url, "token_file": str(self.all[n].token_file)}
                for n in names
            },
            "stressd_lease": "3s",
            "stressd_timeout": 10,
        }
        conf.update(extra)
        return conf

    def fill_dir(self, name: str = "fill") -> Path:
        d = self.base / name
        d.mkdir(exist_ok=True)
        self.fill_dirs.append(d)
        return d

    def tmpfs(self, name: str = "tmpfs", size: str = "64m") -> Path:
        d = self.base / name
        d.mkdir()
        r = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(d)],
            capture_output=True, text=True,
        )
        if r.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip()}): needs root")
        self.mounts.append(d)
        self.fill_dirs.append(d)
        return d

    def teardown(self) -> List[str]:
        problems = []
        for a in self.all.values():
            problems += a.shutdown()
        for d in self.fill_dirs:
            left = [p.name for p in d.glob(".stressd-fill-*")] if d.exists() else []
            if left:
                problems.append(f"fill folders left in {d}: {left}")
        for d in self.mounts:
            subprocess.run(["umount", "-l", str(d)], capture_output=True)
        return problems


_labels_supported: Optional[bool] = None


def labels_supported(agent: AgentProc) -> bool:
    """Whether this agent takes `labels` (asked once per session: a request
    with a label and a bad load; an agent without labels names `labels`)."""
    global _labels_supported
    if _labels_supported is None:
        status, body = agent.api(
            "POST", "/v1/attacks",
            {"kind": "cpu", "load": "0%", "duration": "1s", "labels": {"probe": "x"}},
        )
        _labels_supported = not (isinstance(body, dict) and body.get("field") == "labels")
    return _labels_supported


@pytest.fixture
def agents(tmp_path_factory, request):
    base = tmp_path_factory.mktemp("agents")
    os.chmod(base, 0o700)
    import chaosstressd.run as run_mod

    run_mod.new_run()
    pool = Agents(base)
    yield pool
    run_mod.current_run().stop_renewer()
    problems = pool.teardown()
    assert not problems, "\n".join(problems)
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def labelled(agents):
    """Agents that take labels (every start sends one); an agent that does
    not fails the test with the reason, rather than every start failing."""

    def start(*names, **kw):
        started = agents.start(*names, **kw)
        if not labels_supported(started[0]):
            pytest.fail(
                f"{agents.binary} predates attack labels, which every attack "
                "of the extension carries: build stressd from this tree or set "
                "STRESSD_BIN to one that takes labels",
                pytrace=False,
            )
        return started

    agents.start_labelled = start
    return agents
