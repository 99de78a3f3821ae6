"""
What agents left behind, as lines `NAME: what [items]` (none: clean), the
same for every suite: running attacks, processes of the agent's (workers,
watchdogs, anything it started), ledger records, the cgroups of its
attacks, processes its pause attacks left stopped, files in a folder it
was given to fill.
"""
import json
import os
import signal
import time
from pathlib import Path
from typing import Dict, Iterable, List

from harness import cgroups, procs

RUNNING = "running attacks"
PROCESSES = "processes"
LEDGER = "ledger records"
CGROUPS = "cgroups"
STOPPED = "stopped processes"
FILLS = "files in a fill folder"

GRACE = 3.0  # for an agent's processes to go once it has exited (a watchdog ends when told)


def processes(agents: Iterable) -> Dict[str, List[str]]:
    """{agent name: ["PID: command line"]} of its live processes, one walk
    of /proc for all: below the process the harness started (but the agent
    and its wrapper), or naming it as `--parent PID` (a worker) or
    `--supervisor PID:START` (a watchdog), or naming its state directory
    and stressd (a watchdog, a replay)."""
    snap = procs.snapshot()
    out = {}
    for a in agents:
        mine = procs.descendants(a.proc.pid, snap)
        marks = (f"--parent {a.pid} ", f"--supervisor {a.pid}:")
        state = str(a.state_dir)
        for pid, p in snap.items():
            cmd = p.cmdline + " "
            if any(m in cmd for m in marks) or (state in cmd and "stressd" in cmd):
                mine.add(pid)
        mine -= a.wrapper | {a.pid, os.getpid()}
        out[a.name] = [f"{pid}: {snap[pid].cmdline}" for pid in sorted(mine) if pid in snap]
    return out


def ledger_records(state_dir: Path) -> List[str]:
    """Every `*.json` and every other file but the ledger's own dot files
    (its `.lock`, an atomic write `.ID.json.tmp-RANDOM` not yet renamed)."""
    ledger = Path(state_dir) / "ledger"
    if not ledger.is_dir():
        return []
    return sorted(p.name for p in ledger.iterdir() if p.suffix == ".json" or not p.name.startswith("."))


def fill_files(folders: Iterable[Path]) -> List[str]:
    """Lines for every entry left in folders only stressd writes into."""
    return [f"{d}: {FILLS} {sorted(p.name for p in Path(d).iterdir())}"
            for d in folders if Path(d).is_dir() and any(Path(d).iterdir())]


def _report_paths(state_dir: Path) -> List[Path]:
    """The reports (not their `ID.summary.json` list lines)."""
    return sorted(p for p in (Path(state_dir) / "reports").glob("*.json") if not p.name.endswith(".summary.json"))


def _reports(state_dir: Path) -> List[dict]:
    out = []
    for path in _report_paths(state_dir):
        try:
            out.append(json.loads(path.read_text()))
        except (OSError, ValueError):
            pass
    return out


def cgroups_left(state_dir: Path) -> List[str]:
    """The cgroups still there of every attack the state directory knows
    (its reports and ledger records)."""
    ids = {p.stem for p in _report_paths(state_dir)}
    ids |= {Path(name).stem for name in ledger_records(state_dir)}
    return sorted(path for attack in ids for path in cgroups.left(attack))


def stopped_left(state_dir: Path) -> List[str]:
    """Processes a pause attack stopped (SIGSTOP in its report's hits) that
    are still stopped: the very process, by pid and start time."""
    out = set()
    for report in _reports(state_dir):
        for hit in (report.get("processes") or {}).get("hits", []):
            who = hit["process"]["identity"]
            p = procs.read(who["pid"])
            if hit["signal"] == "SIGSTOP" and p and p.start == who["startTime"] and p.state == "T":
                out.add(f"{who['pid']}: {p.cmdline}")
    return sorted(out)


def live(agents: Iterable, fill_dirs: Iterable[Path] = ()) -> List[str]:
    """What serving agents still hold: running attacks (asked through their
    API), processes, ledger records; and files in the fill folders."""
    agents = list(agents)
    found = processes(agents)
    problems = []
    for a in agents:
        try:
            running = [x["id"] for x in a.running()]
        except Exception as e:
            problems.append(f"{a.name}: cannot list its attacks: {e!r}")
            running = []
        for kind, items in ((RUNNING, running), (PROCESSES, found[a.name]),
                            (LEDGER, ledger_records(a.state_dir))):
            if items:
                problems.append(f"{a.name}: {kind} {items}")
    return problems + fill_files(fill_dirs)


def after_exit(agents: Iterable, fill_dirs: Iterable[Path] = ()) -> List[str]:
    """What is left once the agents have exited. Their processes get
    GRACE seconds to go, and are SIGKILLed after, so that none outlives
    the test (only the agents' own: by the pids found)."""
    agents = list(agents)
    deadline = time.monotonic() + GRACE
    found = processes(agents)
    while any(found.values()) and time.monotonic() < deadline:
        time.sleep(0.1)
        found = processes(agents)
    problems = []
    for a in agents:
        for line in found[a.name]:
            try:
                os.kill(int(line.split(":")[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
        for kind, items in ((PROCESSES, found[a.name]), (LEDGER, ledger_records(a.state_dir)),
                            (CGROUPS, cgroups_left(a.state_dir)), (STOPPED, stopped_left(a.state_dir))):
            if items:
                problems.append(f"{a.name}: {kind} after it exited {items}")
    return problems + fill_files(fill_dirs)
