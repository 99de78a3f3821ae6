#!/usr/bin/env python3
"""CPU precision and stop latency: stressd beside stress-ng, in one run.

For each load (20/50/80 %) and core count (1, 2) it runs stressd and
`stress-ng --cpu N --cpu-load P` one after the other (interleaved, never at
the same time), samples every worker's utime+stime from /proc/PID/stat over
the same 8 s window, and prints each worker's error in percentage points.
Then it measures stressd's deadline-to-reaped and SIGTERM-to-reaped times.
Absolute numbers on a shared VM are noisy; compare the columns.
"""
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

STRESSD = os.environ.get("STRESSD_BIN", ".build/release/stressd")
TICKS = os.sysconf("SC_CLK_TCK")
WARMUP, WINDOW = 1.0, 8.0


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)


def descendants(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    pids = [int(p) for p in out]
    for child in list(pids):
        pids += descendants(child)
    return pids


def measure(command, workers, state):
    """Starts command, waits for its workers, returns per-worker load over WINDOW."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 5
    pids = []
    while time.monotonic() < deadline:
        pids = [p for p in descendants(proc.pid) if busy_worker(p)]
        if len(pids) >= workers:
            break
        time.sleep(0.05)
    time.sleep(WARMUP)
    start = {p: cpu_ticks(p) for p in pids}
    t0 = time.monotonic()
    time.sleep(WINDOW)
    end = {p: cpu_ticks(p) for p in pids}
    wall = time.monotonic() - t0
    proc.send_signal(signal.SIGINT)
    proc.wait()
    return [(end[p] - start[p]) / TICKS / wall for p in pids]


def busy_worker(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return "worker cpu" in cmd or cmd.startswith("stress-ng-cpu") or "stress-ng" in cmd


def stop_latency(state, how):
    """Milliseconds from the deadline (or SIGTERM) to every worker reaped, as stressd reports it."""
    proc = subprocess.Popen(
        [STRESSD, "cpu", "--load", "50%", "--cores", "2", "--duration", "2s" if how == "deadline" else "30s",
         "--json", "--state-dir", state], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if how == "sigterm":
        time.sleep(1.5)
        proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate()
    return json.loads(out)["cleanup"]["reapMilliseconds"]


def main():
    if subprocess.run(["which", "stress-ng"], capture_output=True).returncode != 0:
        sys.exit("stress-ng is missing: run `make bench`, which installs it")
    state = tempfile.mkdtemp(prefix="stressd-bench-")
    print(f"CPU precision over {WINDOW:.0f} s windows (error = achieved - requested, percentage points)")
    print(f"{'load':>5} {'cores':>5} | {'stressd errors':<24} | {'stress-ng errors':<24}")
    worst = {"stressd": 0.0, "stress-ng": 0.0}
    for cores in (1, 2):
        for load in (20, 50, 80):
            rows = {}
            rows["stressd"] = measure(
                [STRESSD, "cpu", "--load", f"{load}%", "--cores", str(cores), "--duration", "30s", "--state-dir", state],
                cores, state)
            rows["stress-ng"] = measure(
                ["stress-ng", "--cpu", str(cores), "--cpu-load", str(load), "-t", "30s", "--quiet"], cores, state)
            cells = {}
            for tool, loads in rows.items():
                errors = [100 * l - load for l in loads]
                worst[tool] = max([worst[tool]] + [abs(e) for e in errors])
                cells[tool] = " ".join(f"{e:+.2f}" for e in errors)
            print(f"{load:>4}% {cores:>5} | {cells['stressd']:<24} | {cells['stress-ng']:<24}")
    print(f"worst |error|: stressd {worst['stressd']:.2f} points, stress-ng {worst['stress-ng']:.2f} points "
          f"(resolution: one clock tick per window = {100 / TICKS / WINDOW:.3f} points)")
    for how in ("deadline", "sigterm"):
        times = [stop_latency(state, how) for _ in range(5)]
        print(f"stressd {how} → all workers reaped: median {statistics.median(times):.2f} ms, max {max(times):.2f} ms (5 runs)")
    subprocess.run([STRESSD, "cleanup", "--state-dir", state], stdout=subprocess.DEVNULL)
    shutil.rmtree(state)


if __name__ == "__main__":
    main()
