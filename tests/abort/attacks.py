"""
The one-shot attack the tests run (`stressd ATTACK ... --abort-unless C
--json`) and what they prove after it: how it ended, and that it left
nothing (its report's cleanup, processes, ledger records, cgroups, through
harness.leftovers and harness.cgroups as every suite checks them).
"""
import glob
import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import List, NamedTuple, Optional, Set

import pytest

from harness import cgroups, leftovers
from targets import wait_for

# The attacks: light and short, and bounded long enough that one a
# condition fails to stop shows as a failure, not as a pass by chance.
CPU = ["cpu", "--load", "10%", "--cores", "1"]
MEM = ["mem", "--size", "32M"]
BOUND = ["--duration", "8s"]


class Result(NamedTuple):
    rc: int
    report: Optional[dict]  # the --json report on stdout; None when there is none
    stdout: str
    stderr: str
    wall: float  # seconds from the spawn to the exit


class OneShot:
    """`stressd ARGS --state-dir STATE --json --abort-unless C...`, started
    and not waited for. `spawned` (time.monotonic()) is no later than the
    attack's own start, so `since_spawn(t)` is at least the attack's elapsed
    time at t: what a bound on how soon it saw a break is measured from."""

    def __init__(self, binary: str, state_dir: Path, args: List[str], conditions: List[str]):
        self.state_dir = state_dir
        self.command = [binary, *args, "--state-dir", str(state_dir), "--json",
                        *[w for c in conditions for w in ("--abort-unless", c)]]
        self.spawned = time.monotonic()
        self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # harness.leftovers looks at what it checks as at an agent.
        self.name, self.pid, self.wrapper = "stressd", self.proc.pid, set()

    def since_spawn(self, at: float) -> float:
        return at - self.spawned

    def wait_started(self, timeout: float = 10) -> float:
        """Until the attack's ledger record is there (it runs); returns when."""
        def started():
            if self.proc.poll() is not None:
                _, err = self.proc.communicate()
                pytest.fail(f"the attack ended before it was seen running (exit {self.proc.returncode}): {err}")
            return leftovers.ledger_records(self.state_dir)
        wait_for(started, timeout, "the attack's ledger record")
        return time.monotonic()

    def finish(self, timeout: float = 20) -> Result:
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"stressd did not exit within {timeout:g}s: {' '.join(self.command)}")
        wall = time.monotonic() - self.spawned
        try:
            report = json.loads(out) if out.strip() else None
        except ValueError:
            pytest.fail(f"stdout is not the JSON report: {out[:2000]!r}")
        return Result(self.proc.returncode, report, out, err, wall)

    def stop(self) -> None:
        """SIGTERM (stressd stops the attack and cleans up), SIGKILL after 10 s."""
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()


def stressd_cgroups() -> Set[str]:
    """Every `stressd-*` cgroup where stressd would make one."""
    return {p for pattern in cgroups.places("*") for p in glob.glob(pattern) if os.path.isdir(p)}


def conditions_in(report: dict) -> dict:
    """{condition line: its entry in the report's abortConditions}."""
    return {c["condition"]: c for c in report["abortConditions"]}


def evaluations(report: dict, condition: str) -> List[dict]:
    entries = conditions_in(report)
    assert condition in entries, (condition, list(entries))
    return entries[condition]["evaluations"]


# A failed http or prometheus probe of a healthy service, seen about once
# in 300 probes on a loaded host: the probe writes its request's end after
# the service has answered and closed the connection (the `Connection:
# close` stressd itself asks for), and fails on that write with the answer
# in hand. A stressd bug (OneShotHTTP.exchange): a test that meets it
# fails, and says so.
SPURIOUS = "I/O on closed channel"


def why(evs: List[dict]) -> str:
    """An assertion's message: the evaluations, and the known bug if it shows."""
    known = [e for e in evs if SPURIOUS in e.get("detail", "")]
    note = f"\nstressd bug: a probe of a healthy service failed with {SPURIOUS!r}: {known}\n" if known else ""
    return f"{note}{evs}"


def ended_at(report: dict) -> float:
    """The attack's last elapsed second: its final timeline sample, taken as it ends."""
    return max(s["elapsed"] for s in report["timeline"])


def aborted_by(result: Result, condition: str) -> dict:
    """The outcome of an attack the condition (its line) stopped: exit 1."""
    assert result.report is not None, f"exit {result.rc}, no report: {result.stderr}"
    outcome = result.report["outcome"]
    assert outcome["status"] == "aborted", (outcome, result.stderr)
    assert outcome["condition"] == condition, outcome
    assert result.rc == 1, (result.rc, result.stderr)
    return outcome


def assert_clean(shot: OneShot, result: Result) -> None:
    """The attack ran and is gone without a trace: its report says it left
    nothing, and nothing is left indeed (processes naming the state
    directory or the run, ledger records, the attack's cgroup)."""
    assert result.report is not None, f"exit {result.rc}, no report on stdout: {result.stderr}"
    assert result.report["cleanup"]["leftovers"] == [], result.report["cleanup"]
    assert leftovers.ledger_records(shot.state_dir) == []
    assert cgroups.left(result.report["id"]) == set()
    problems = leftovers.after_exit([shot])
    assert not problems, "\n".join(problems)


def assert_refused(shot: OneShot, result: Result, condition: str, cgroups_before: Set[str]) -> str:
    """Exit 2 naming the condition and the steady state, and nothing
    created: no report (on stdout or in the state directory), no ledger
    record, no new cgroup, no process. Returns stderr."""
    assert result.rc == 2, (result.rc, result.stderr)
    assert "steady state" in result.stderr, result.stderr
    assert f"the condition '{condition}' fails now" in result.stderr, result.stderr
    assert result.stdout.strip() == "", result.stdout
    reports = shot.state_dir / "reports"
    assert not reports.is_dir() or not any(reports.iterdir()), sorted(os.listdir(reports))
    assert leftovers.ledger_records(shot.state_dir) == []
    assert stressd_cgroups() - cgroups_before == set()
    problems = leftovers.after_exit([shot])
    assert not problems, "\n".join(problems)
    return result.stderr
