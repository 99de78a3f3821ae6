#!/usr/bin/env python3
"""Stop latency (issue 14): SIGTERM sent to the process reaped, for every kind
of one-shot attack and for an agent running three, beside a floor measured
in the same run. The target: under 50 ms every time, whatever is running.

Cases: one-shot `stressd cpu`, `stressd mem` (64 MiB), `stressd disk` (32 MiB
in a temp dir under /tmp), `stressd pause` (of a `sleep` this bench spawns),
and `stressd serve` on loopback with a cpu, a mem (64 MiB) and a pause attack
started over the API. SIGTERM is sent only once the attack really runs: its
ledger record is written, the supervisor, its watchdog and its workers are
alive (a memory hog holding its 64 MiB, the fill's space taken, the target
stopped), and then after a random 0.1-0.5 s, so the signal lands at any phase
of the supervisor's timers. The time is taken from just before kill(2) to
waitpid(2) returning.

The floor (bench/stop_floor.c) does only what any stop must: on SIGTERM it
kills and reaps one child and unlinks one file, then exits; a second floor's
child holds 64 MiB, so the kernel's teardown of a hog is in it too (the
floor stressd mem and stressd serve are set beside).

After each run, nothing may be left: no process of the attack (supervisor,
watchdog, workers; checked by pid and start time), no stopped process, no
fill folder, no ledger record. What is still there when waitpid returns but
gone within 2 s is counted; what is there after 2 s fails the bench. The
bench signals only processes it spawned. Runs are interleaved across cases
after warm-up rounds; on a shared VM, median, p90 and max are reported.
"""
import glob
import json
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from mem_disk import AUTH, STRESSD, build, rss, start_agent, tree

RUNS, WARMUP = 15, 2
TARGET_MS = 50
MEM_BYTES = 64 << 20
DISK_BYTES = 32 << 20
READY_TIMEOUT, LEFTOVER_GRACE = 10.0, 2.0
SETTLE = (0.1, 0.5)
POLL = 0.005


def proc_stat(pid):
    """(state, start time in clock ticks) of a process, or None if there is none."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return fields[0], int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def identity(pid):
    stat = proc_stat(pid)
    return (pid, stat[1]) if stat else None


def running(ident):
    """Whether the process (pid, start time) still exists and is not a zombie."""
    stat = proc_stat(ident[0])
    return stat is not None and stat[1] == ident[1] and stat[0] != "Z"


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def records(state):
    """The ledger's records (its .lock is not one)."""
    found = []
    for path in glob.glob(os.path.join(state, "ledger", "*.json")):
        try:
            with open(path) as f:
                found.append(json.load(f))
        except (OSError, ValueError):
            pass  # replaced or removed while read
    return found


def named_processes(record):
    """(pid, start time) of every process a record names."""
    named = [record.get("supervisor"), record.get("watchdog")] + record.get("workers", [])
    return {(p["pid"], p["startTime"]) for p in named if p}


def allocated(directory):
    total = 0
    for root, _, files in os.walk(directory):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


def attack_runs(record, sleeper):
    """Whether the attack of this record is really running, not still starting."""
    if record.get("watchdog") is None or not all(running(p) for p in named_processes(record)):
        return False
    kind = record["spec"]["kind"]
    workers = [w["pid"] for w in record.get("workers", [])]
    if kind in ("cpu", "mem") and (not workers or not all("worker" in cmdline(w) for w in workers)):
        return False
    if kind == "mem":
        return any(rss(w) >= MEM_BYTES for w in workers)
    if kind == "disk":
        fills = record.get("fillDirectories", [])
        return bool(fills) and allocated(fills[0]["path"]) >= DISK_BYTES
    if kind == "pause":
        return bool(record.get("stoppedProcesses")) and (proc_stat(sleeper.pid) or ("",))[0] == "T"
    return True


def wait_until(condition, what):
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(POLL)
    raise RuntimeError(f"{what}: not running after {READY_TIMEOUT:.0f} s")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/attacks", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **AUTH})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["id"]


class Run:
    """One process to stop: started, waited for, SIGTERMed, checked."""

    def __init__(self, state=None, fill=None, sleeper=False):
        self.state, self.fill = state, fill
        self.sleeper = subprocess.Popen(["sleep", "600"]) if sleeper else None
        self.proc, self.watched, self.extra = None, set(), []

    def leftovers(self):
        left = [f"pid {pid} ({cmdline(pid)[:60].strip()})" for pid, start in self.watched if running((pid, start))]
        if self.sleeper and (proc_stat(self.sleeper.pid) or ("",))[0] in ("T", "t"):
            left.append(f"sleep {self.sleeper.pid} still stopped")
        if self.fill:
            left += [f"fill entry {name}" for name in os.listdir(self.fill)]
        if self.state:
            left += [f"ledger record {r.get('id')}" for r in records(self.state)]
        return left + [what for what in self.extra if os.path.exists(what)]

    def stop(self):
        """Milliseconds from SIGTERM to reaped, what was left at that moment, and what stayed past the grace."""
        time.sleep(random.uniform(*SETTLE))
        self.watched = {identity(pid) for pid in tree(self.proc.pid)} - {None}
        for record in records(self.state) if self.state else []:
            self.watched |= named_processes(record)
        self.watched.discard(identity(self.proc.pid))
        start = time.perf_counter()
        self.proc.send_signal(signal.SIGTERM)
        status = self.proc.wait()
        ms = (time.perf_counter() - start) * 1000
        at_exit = self.leftovers()
        deadline = time.monotonic() + LEFTOVER_GRACE
        stayed = at_exit
        while stayed and time.monotonic() < deadline:
            time.sleep(POLL)
            stayed = self.leftovers()
        if status != 0:
            stayed = stayed + [f"exit status {status}"]
        return ms, at_exit, stayed

    def close(self):
        """Whatever happened: the bench's own processes ended, the ledger undone."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.state and records(self.state):
            subprocess.run([STRESSD, "cleanup", "--state-dir", self.state],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if self.sleeper:
            self.sleeper.kill()
            self.sleeper.wait()


def floor_case(binary, work, hold):
    def run(r):
        marker = os.path.join(work, "floor-file")
        r.proc = subprocess.Popen([binary, marker] + ([str(MEM_BYTES)] if hold else []))
        r.extra = [marker]
        wait_until(lambda: os.path.exists(marker), "the floor")
    return run


def one_shot(kind, args):
    def run(r):
        target = ["--pid", str(r.sleeper.pid)] if kind == "pause" else ["--path", r.fill] if kind == "disk" else []
        r.proc = subprocess.Popen([STRESSD, kind] + args + target + ["--duration", "60s", "--state-dir", r.state],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: any(attack_runs(rec, r.sleeper) for rec in records(r.state)), f"stressd {kind}")
    return run


def serve(r):
    port = free_port()
    r.proc = start_agent(r.state, port)
    for body in ({"kind": "cpu", "load": "50%", "cores": 1}, {"kind": "mem", "size": str(MEM_BYTES)},
                 {"kind": "pause", "pid": r.sleeper.pid}):
        post(port, {**body, "duration": "60s"})
    wait_until(lambda: (lambda recs: len(recs) == 3 and all(attack_runs(rec, r.sleeper) for rec in recs))(
        records(r.state)), "stressd serve's three attacks")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main():
    if not os.access(STRESSD, os.X_OK):
        sys.exit(f"no stressd at {STRESSD}: set STRESSD_BIN (`make bench` builds and sets it)")
    work = tempfile.mkdtemp(prefix="stressd-bench-stop-")
    fill = tempfile.mkdtemp(prefix="stressd-bench-stop-fill-", dir="/tmp")
    floor = build(work, "stop_floor.c")
    states = {}

    def state(name):
        return states.setdefault(name, os.path.join(work, f"state-{name}"))

    # (name, the floor it is set beside, how to start it, what the run needs)
    plain, holding = "C floor: kill+reap a child, unlink", "C floor, its child holding 64 MiB"
    cases = [
        (plain, None, floor_case(floor, work, False), {}),
        (holding, None, floor_case(floor, work, True), {}),
        ("stressd cpu (50% of 1 core)", plain, one_shot("cpu", ["--load", "50%", "--cores", "1"]),
         {"state": state("cpu")}),
        ("stressd mem 64 MiB", holding, one_shot("mem", ["--size", str(MEM_BYTES)]), {"state": state("mem")}),
        ("stressd disk 32 MiB (/tmp)", plain, one_shot("disk", ["--size", str(DISK_BYTES)]),
         {"state": state("disk"), "fill": fill}),
        ("stressd pause (a sleep)", plain, one_shot("pause", []), {"state": state("pause"), "sleeper": True}),
        ("stressd serve: cpu+mem+pause", holding, serve, {"state": state("serve"), "sleeper": True}),
    ]
    for path in states.values():
        os.makedirs(path, mode=0o700)
    random.seed(14)
    times = {name: [] for name, *_ in cases}
    lingered = {name: 0 for name in times}
    failures = []
    started = time.monotonic()
    try:
        for round_ in range(WARMUP + RUNS):
            for name, _, start, needs in cases:
                run = Run(**needs)
                try:
                    start(run)
                    ms, at_exit, stayed = run.stop()
                finally:
                    run.close()
                if stayed:
                    failures.append(f"{name}, round {round_}: left {', '.join(stayed)}")
                if round_ < WARMUP:
                    continue
                times[name].append(ms)
                lingered[name] += bool(at_exit)
        print(f"Stop latency: SIGTERM sent to the process reaped (waitpid returned), ms; {RUNS} runs per case "
              f"interleaved after {WARMUP} warm-up rounds ({time.monotonic() - started:.0f} s)")
        print(f"  {'case':<36} {'median':>7} {'p90':>7} {'max':>7}  {'median over its floor':>22}  "
              f"{'>= ' + str(TARGET_MS) + ' ms':>8}  {'left at exit':>12}")
        for name, beside, *_ in cases:
            values = times[name]
            over = "" if beside is None else \
                f"{statistics.median(values) - statistics.median(times[beside]):+.1f} ({'64 MiB' if beside == holding else 'plain'})"
            print(f"  {name:<36} {statistics.median(values):7.2f} {percentile(values, 0.9):7.2f} {max(values):7.2f}  "
                  f"{over:>22}  {sum(v >= TARGET_MS for v in values):>5}/{len(values):<2}  "
                  f"{lingered[name]:>9}/{len(values):<2}")
        missed = [name for name, beside, *_ in cases if beside and max(times[name]) >= TARGET_MS]
        print(f"  target: SIGTERM to exit under {TARGET_MS} ms every time, whatever runs: "
              + ("met" if not missed else "NOT met by " + "; ".join(missed)))
        print(f"  left at exit: runs where something of the attack was still there when waitpid returned "
              f"(gone within {LEFTOVER_GRACE:.0f} s, else it fails below)")
        print("  after every run (warm-up too): " + ("nothing left (no process of the attack, no stopped process, "
              "no fill folder, empty ledger)" if not failures else f"{len(failures)} run(s) left something"))
        for failure in failures:
            print(f"    {failure}")
    finally:
        for path in states.values():
            if os.path.isdir(path) and records(path):
                subprocess.run([STRESSD, "cleanup", "--state-dir", path],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(fill, ignore_errors=True)
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
