"""
Fixtures for running the example experiment (examples/web-under-pressure)
with the real `chaos` CLI against real `stressd serve` agents on loopback
(tests/harness: each agent in its own 0700 folder with a token file (0600),
a private state directory and its log).

`Lab.clean()` says what is left on the agents (harness.leftovers): running
attacks (asked through their API), processes of theirs, ledger records.
Teardown kills what the test started: the `chaos` process group (which
holds the web service), the agents, and fails the test if any of that was
still running or an agent left anything.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

import pytest

# tests/harness: the agent harness every Python suite shares
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import leftovers, procs  # noqa: E402
from harness.binary import stressd_bin  # noqa: E402
from harness.serve import ServeAgent, free_port  # noqa: E402
from harness.teardown import end  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "web-under-pressure"


def chaos_bin() -> str:
    chaos = Path(sys.executable).with_name("chaos")
    if not chaos.exists():
        pytest.skip(f"no chaos beside {sys.executable}: run make venv and use .venv/bin/pytest")
    return str(chaos)


class Lab:
    """The agents, the web service's port and the chaos runs of one test."""

    def __init__(self, base: Path):
        self.base = base
        self.binary = stressd_bin()
        self.chaos = chaos_bin()
        self.hosts: Dict[str, ServeAgent] = {}
        self.web_port = free_port()
        self.procs: List[subprocess.Popen] = []

    def start_hosts(self, *names: str) -> List[ServeAgent]:
        for n in names:
            host = ServeAgent(self.binary, self.base / n, args=["--max-attacks", "4"])
            host.launch()
            self.hosts[n] = host
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
        return sorted(pid for pid, p in procs.snapshot().items() if port.search(p.cmdline))

    def clean(self) -> List[str]:
        return leftovers.live(self.hosts.values())

    def wait_clean(self, since: float, limit: float) -> float:
        """Seconds from `since` (a monotonic time) until every host is clean;
        fails if that takes longer than `limit` seconds from now. Also sets
        `first_seen` (seconds until no host had running attacks, processes,
        ledger records) and `pressure_gone` (no process, no ledger record:
        the agents' own state may say `running` a little longer, as a
        memory attack's report waits up to 1 s for the kernel to give its
        pages back)."""
        deadline = time.monotonic() + limit
        self.first_seen = {}  # when each kind of leftover was first seen gone
        while True:
            problems = self.clean()
            now = time.monotonic()
            for kind in (leftovers.RUNNING, leftovers.PROCESSES, leftovers.LEDGER):
                if kind not in self.first_seen and not any(f": {kind} " in p for p in problems):
                    self.first_seen[kind] = round(now - since, 2)
            if not problems:
                self.pressure_gone = max(self.first_seen[leftovers.PROCESSES],
                                         self.first_seen[leftovers.LEDGER])
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
        finally:
            problems += end(self.hosts.values())
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
