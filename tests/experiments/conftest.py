"""
Fixtures for running the example experiment (examples/web-under-pressure)
with the real `chaos` CLI against real `stressd serve` agents on loopback.

Each agent gets its own folder under a 0700 temporary directory: a token
file (0600), a private state directory and its log. `Host.clean()` says what
is left on an agent: running attacks (asked through its API), worker
processes (its descendants, or any process naming it as --parent), ledger
records in its state directory. Teardown kills what the test started: the
`chaos` process group (which holds the web service), the agents, and fails
the test if any agent process or the web service is still alive.
"""
import json
import os
import re
import secrets as pysecrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "web-under-pressure"


def stressd_bin() -> str:
    path = os.environ.get("STRESSD_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("set STRESSD_BIN to a stressd binary (make experiment-check does)")
    return path


def chaos_bin() -> str:
    chaos = Path(sys.executable).with_name("chaos")
    if not chaos.exists():
        pytest.skip(f"no chaos beside {sys.executable}: run make venv and use .venv/bin/pytest")
    return str(chaos)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url: str, token: Optional[str] = None, timeout: float = 5):
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            try:
                return r.status, json.loads(raw) if raw else None
            except ValueError:
                return r.status, raw.decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


# -- /proc ---------------------------------------------------------------------
def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def _stat(pid: int):
    """(state, ppid) or None when gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return fields[0], int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def alive(pid: int) -> bool:
    st = _stat(pid)
    return st is not None and st[0] != "Z"


def pids_matching(*needles: str) -> List[int]:
    """Live processes whose command line holds every needle."""
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit() and int(p) != os.getpid():
            cmd = _cmdline(int(p))
            if cmd and all(n in cmd for n in needles) and alive(int(p)):
                out.append(int(p))
    return out


def snapshot() -> Dict[int, tuple]:
    """{pid: (ppid, command line)} of every live process, read once."""
    out = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            st = _stat(int(p))
            if st is not None and st[0] != "Z":
                out[int(p)] = (st[1], _cmdline(int(p)))
    return out


def descendants(root: int, snap: Dict[int, tuple]) -> List[int]:
    family, changed = {root}, True
    while changed:
        changed = False
        for p, (pp, _) in snap.items():
            if pp in family and p not in family:
                family.add(p)
                changed = True
    family.discard(root)
    return sorted(family)


# -- agents --------------------------------------------------------------------
class Host:
    """One `stressd serve` on a free loopback port."""

    def __init__(self, name: str, base: Path, binary: str):
        self.name = name
        self.dir = base / name
        self.dir.mkdir(mode=0o700)
        self.state_dir = self.dir / "state"
        self.state_dir.mkdir(mode=0o700)
        self.token = pysecrets.token_hex(32)
        self.token_file = self.dir / "token"
        fd = os.open(self.token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self.token + "\n")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(self.dir / "serve.log", "wb")
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{self.port}",
             "--token-file", str(self.token_file), "--state-dir", str(self.state_dir),
             "--max-attacks", "4", "--log-level", "info"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 15
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"agent {name} exited: {self.log_text()}")
            try:
                if http(self.url + "/healthz", timeout=1)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.proc.kill()
                raise RuntimeError(f"agent {name} not healthy in 15s: {self.log_text()}")
            time.sleep(0.05)

    def log_text(self) -> str:
        try:
            return (self.dir / "serve.log").read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def logged(self, message: str) -> Dict[str, float]:
        """{attack id: Unix time} of the agent's log lines with this msg."""
        out = {}
        for line in self.log_text_all().splitlines():
            if f'msg="{message}"' not in line:
                continue
            ts = re.search(r"^ts=(\S+)", line)
            aid = re.search(r"attack_id=(\S+)", line)
            if ts and aid:
                when = datetime.strptime(ts.group(1), "%Y-%m-%dT%H:%M:%S.%fZ")
                out[aid.group(1)] = when.replace(tzinfo=timezone.utc).timestamp()
        return out

    def log_text_all(self) -> str:
        self.log.flush()
        try:
            return (self.dir / "serve.log").read_text(errors="replace")
        except OSError:
            return ""

    def attacks(self, query: str = "") -> list:
        status, body = http(f"{self.url}/v1/attacks{query}", self.token)
        assert status == 200, (self.name, status, body)
        return body

    def running(self) -> list:
        return self.attacks("?state=running")

    def report(self, attack_id: str) -> dict:
        status, body = http(f"{self.url}/v1/reports/{attack_id}", self.token)
        assert status == 200, (self.name, status, body)
        return body

    def workers(self, snap: Optional[Dict[int, tuple]] = None) -> List[str]:
        """The agent's live descendants and any process naming it as --parent."""
        snap = snap if snap is not None else snapshot()
        parent = re.compile(rf"--parent {self.proc.pid}( |$)")
        pids = set(descendants(self.proc.pid, snap))
        pids |= {p for p, (_, cmd) in snap.items() if parent.search(cmd)}
        return [f"{p}: {snap[p][1]}" for p in sorted(pids)]

    def ledger_records(self) -> List[str]:
        d = self.state_dir / "ledger"
        return sorted(p.name for p in d.glob("*.json")) if d.exists() else []

    def clean(self, snap: Optional[Dict[int, tuple]] = None) -> List[str]:
        """What is left on this agent (empty when clean)."""
        problems = []
        running = self.running()
        if running:
            problems.append(f"{self.name}: running {[a['id'] for a in running]}")
        w = self.workers(snap)
        if w:
            problems.append(f"{self.name}: worker processes {w}")
        r = self.ledger_records()
        if r:
            problems.append(f"{self.name}: ledger records {r}")
        return problems

    def stop(self) -> List[str]:
        problems = []
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                problems.append(f"{self.name}: alive 15s after SIGTERM")
                self.proc.kill()
                self.proc.wait()
        left = self.workers()
        if left:
            problems.append(f"{self.name}: processes left after the agent exited: {left}")
        self.log.close()
        return problems


class Lab:
    """The agents, the web service's port and the chaos runs of one test."""

    def __init__(self, base: Path):
        self.base = base
        self.binary = stressd_bin()
        self.chaos = chaos_bin()
        self.hosts: Dict[str, Host] = {}
        self.web_port = free_port()
        self.procs: List[subprocess.Popen] = []

    def start_hosts(self, *names: str) -> List[Host]:
        for n in names:
            self.hosts[n] = Host(n, self.base, self.binary)
        return [self.hosts[n] for n in names]

    def var_file(self, **configuration) -> Path:
        """The var file a run gets: these agents, their token files, the
        web port, tiny loads (32 MiB, 20 % of one core) unless overridden."""
        first = next(iter(self.hosts.values()))
        conf = {
            "stressd_agents": {
                n: {"url": h.url, "token_file": str(h.token_file)} for n, h in self.hosts.items()
            },
            "stressd_token_file": str(first.token_file),
            "web_port": self.web_port,
            "memory_size": "32M",
            "cpu_load": "20%",
        }
        conf.update(configuration)
        path = self.base / "vars.json"
        path.write_text(json.dumps({"configuration": conf}, indent=2))
        return path

    def chaos_popen(self, experiment: Path, journal: Path, *options: str) -> subprocess.Popen:
        """`chaos run [options] --journal-path J --var-file V EXPERIMENT`, in
        its own process group (with the web service it starts), the example's
        folder on PYTHONPATH for the web service's control."""
        env = dict(os.environ)
        env["PYTHONPATH"] = str(EXAMPLE) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        out = open(self.base / f"{journal.stem}.out", "wb")
        p = subprocess.Popen(
            [self.chaos, "--log-file", str(self.base / f"{journal.stem}.log"), "run",
             *options, "--journal-path", str(journal), "--var-file", str(self.var_file()),
             str(experiment)],
            cwd=self.base, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        out.close()
        self.procs.append(p)
        return p

    def chaos_output(self, journal: Path) -> str:
        try:
            return (self.base / f"{journal.stem}.out").read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def web_service_pids(self) -> List[int]:
        port = re.compile(rf"service\.py --port {self.web_port}$")
        return sorted(p for p, (_, cmd) in snapshot().items() if port.search(cmd))

    def clean(self) -> List[str]:
        snap = snapshot()
        problems = []
        for h in self.hosts.values():
            problems += h.clean(snap)
        return problems

    def wait_clean(self, since: float, limit: float) -> float:
        """Seconds from `since` (a monotonic time) until every host is clean;
        fails if that takes longer than `limit` seconds from now. Also sets
        `first_seen` (seconds until no host had running attacks, workers,
        ledger records) and `pressure_gone` (no worker, no ledger record:
        the agents' own state may say `running` a little longer, as a
        memory attack's report waits up to 1 s for the kernel to give its
        pages back)."""
        deadline = time.monotonic() + limit
        self.first_seen = {}  # when each kind of leftover was first seen gone
        while True:
            problems = self.clean()
            now = time.monotonic()
            for kind in ("running", "worker processes", "ledger records"):
                if kind not in self.first_seen and not any(f": {kind} " in p for p in problems):
                    self.first_seen[kind] = round(now - since, 2)
            if not problems:
                self.pressure_gone = max(self.first_seen["worker processes"],
                                         self.first_seen["ledger records"])
                return now - since
            if now > deadline:
                pytest.fail(f"not clean {now - since:.2f}s after: " + "; ".join(problems))
            time.sleep(0.05)

    def wait_running(self, count_per_host: int, limit: float = 20) -> None:
        """Waits until each host runs `count_per_host` attacks."""
        deadline = time.monotonic() + limit
        while True:
            counts = {n: len(h.running()) for n, h in self.hosts.items()}
            if all(c >= count_per_host for c in counts.values()):
                return
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.procs):
                pytest.fail(f"attacks running per host: {counts}, wanted {count_per_host}")
            time.sleep(0.05)

    def teardown(self) -> List[str]:
        """Kills what the test started, whatever state it is in, and says
        what was still there. The agents are stopped whatever fails before."""
        problems = []
        try:
            for p in self.procs:
                if p.poll() is None:
                    problems.append(f"chaos (pid {p.pid}) still running at teardown")
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    p.wait()
            deadline = time.monotonic() + 3
            while self.web_service_pids() and time.monotonic() < deadline:
                time.sleep(0.05)
            for pid in self.web_service_pids():
                problems.append(f"web service (pid {pid}) still running at teardown")
                os.kill(pid, signal.SIGKILL)
            for h in self.hosts.values():
                try:
                    problems += h.clean()
                except Exception as x:
                    problems.append(f"{h.name}: cannot check at teardown: {x!r}")
        finally:
            for h in self.hosts.values():
                try:
                    problems += h.stop()
                except Exception as x:
                    problems.append(f"{h.name}: cannot stop: {x!r}")
                    h.proc.kill()
                    h.proc.wait()
        return problems


@pytest.fixture
def lab(tmp_path_factory):
    base = tmp_path_factory.mktemp("experiment")
    os.chmod(base, 0o700)
    lab = Lab(base)
    try:
        yield lab
    finally:
        problems = lab.teardown()
    # the folder stays for a look after a failure (pytest keeps the last three runs')
    assert not problems, "\n".join(problems)
