#!/usr/bin/env python3
"""The agent while it waits, and how fast it starts and stops (issue 17),
each beside a floor measured in the same run.

1. Idle: `stressd serve` with no attack for IDLE_SECONDS (60): wake-ups a
   second (context switches of all its threads), CPU and RSS; once right
   after start and once after a short attack ended. Beside it, the least a
   Swift program that waits can do (bench/idle_floor.swift, built as
   stressd is: the concurrency runtime started, then one await) and
   `sleep`. Target: no periodic work beyond the watchdog ping, under 0.1 %
   of a CPU, under 20 MiB RSS.
2. Start to READY: spawn to the READY=1 datagram on $NOTIFY_SOCKET (as
   under systemd's Type=notify; the bench plays systemd's part), against
   bench/ready_floor.c, which sends READY=1 first thing.
3. Guard breach to stopped: `stressd disk` fills 16 MiB of a 256 MiB tmpfs
   with --floor 128M; the bench then takes 160 MiB itself (T0, the breach),
   and the time is T0 to stressd's exit (guard tripped, cleanup verified,
   report written). The floor polls free space as often as the guard
   (every 100 ms) and SIGKILLs and reaps a `sleep` on the breach. Both wait
   half an interval on average. p50 and max over GUARD_RUNS (20), rounds
   interleaved; the breach lands at a random phase of the polls.
"""
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

STRESSD = os.environ.get("STRESSD_BIN", ".build/release/stressd")
SWIFTC = os.environ.get("SWIFTC", "/opt/swift/usr/bin/swiftc")
BENCH = Path(__file__).resolve().parent
IDLE_SECONDS = float(os.environ.get("IDLE_SECONDS", "60"))
READY_RUNS = int(os.environ.get("READY_RUNS", "10"))
GUARD_RUNS = int(os.environ.get("GUARD_RUNS", "20"))
TICK = os.sysconf("SC_CLK_TCK")


def switches(pid):
    counts = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            lines = (task / "status").read_text().splitlines()
        except OSError:
            continue
        counts[task.name] = sum(int(l.split()[1]) for l in lines
                                if l.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")))
    return counts


def cpu_ticks(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def idle(pid, seconds):
    """(wake-ups/s, CPU %, RSS MiB at the end) over `seconds`."""
    before, ticks = switches(pid), cpu_ticks(pid)
    time.sleep(seconds)
    after = switches(pid)
    woke = sum(c - before.get(t, 0) for t, c in after.items()) + len(before.keys() - after.keys())
    return woke / seconds, (cpu_ticks(pid) - ticks) / TICK / seconds * 100, rss_mib(pid)


def build(work):
    floor = Path(work) / "idle_floor"
    subprocess.run([SWIFTC, "-O", "-static-stdlib", "-parse-as-library", str(BENCH / "idle_floor.swift"), "-o", str(floor)],
                   check=True, stdout=subprocess.DEVNULL)
    ready = Path(work) / "ready_floor"
    subprocess.run(["gcc", "-O2", "-o", str(ready), str(BENCH / "ready_floor.c")], check=True)
    return floor, ready


class Agent:
    def __init__(self, work, env=None):
        folder = Path(tempfile.mkdtemp(dir=work))
        self.token = secrets.token_hex(32)
        (folder / "token").write_text(self.token)
        os.chmod(folder / "token", 0o600)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [STRESSD, "serve", "--listen", f"127.0.0.1:{self.port}", "--token-file", str(folder / "token"),
             "--state-dir", str(folder / "state")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    def call(self, method, path, body=None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                         data=json.dumps(body).encode() if body else None,
                                         headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def wait_healthy(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1).close()
                return
            except OSError:
                time.sleep(0.02)
        raise SystemExit("the agent did not answer within 10 s")

    def end(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def idle_section(work, floor):
    agent = Agent(work)
    agent.wait_healthy()
    time.sleep(3)  # past the page release 2 s after the last request
    fresh = idle(agent.process.pid, IDLE_SECONDS)
    attack = agent.call("POST", "/v1/attacks", {"kind": "cpu", "load": "10%", "cores": 1, "duration": "2s"})
    while agent.call("GET", f"/v1/attacks/{attack['id']}")["state"] != "finished":
        time.sleep(0.2)
    time.sleep(3)
    after_attack = idle(agent.process.pid, IDLE_SECONDS)
    agent.end()
    floors = {}
    for name, command in (("swift floor (runtime, one await)", [str(floor)]), ("sleep", ["sleep", "1000"])):
        process = subprocess.Popen(command)
        time.sleep(1)
        floors[name] = idle(process.pid, IDLE_SECONDS)
        process.kill()
        process.wait()
    print(f"== idle, {IDLE_SECONDS:g} s each: wake-ups a second, CPU, RSS")
    for name, (wakes, cpu, rss) in [("stressd serve, after start", fresh), ("stressd serve, after an attack", after_attack)] + list(floors.items()):
        print(f"  {name:36s} {wakes:6.2f}/s   CPU {cpu:6.3f} %   RSS {rss:5.1f} MiB")
    worst = max(fresh[1], after_attack[1]), max(fresh[2], after_attack[2])
    print(f"  target: under 0.1 % CPU and 20 MiB: {'met' if worst[0] < 0.1 and worst[1] < 20 else 'NOT met'}"
          f"; wake-ups beyond the Swift floor's: {max(fresh[0], after_attack[0]) - floors['swift floor (runtime, one await)'][0]:+.2f}/s")


def until_ready(command, work):
    path = Path(tempfile.mkdtemp(dir=work)) / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(path))
        listener.settimeout(10)
        started = time.monotonic()
        process = command({**os.environ, "NOTIFY_SOCKET": str(path)})
        try:
            while b"READY=1" not in listener.recv(4096):
                pass
            return (time.monotonic() - started) * 1000
        finally:
            process.terminate()
            process.wait(timeout=20)


def ready_section(work, ready_floor):
    def agent(env):
        return Agent(work, env).process

    def floor(env):
        return subprocess.Popen([str(ready_floor)], env=env)

    until_ready(agent, work)  # warm-up
    ours, theirs = [], []
    for _ in range(READY_RUNS):
        ours.append(until_ready(agent, work))
        theirs.append(until_ready(floor, work))
    print(f"== start to READY=1 ({READY_RUNS} runs, interleaved)")
    for name, values in (("stressd serve (ledger replayed, port open)", ours), ("floor: exec + one sd_notify", theirs)):
        print(f"  {name:44s} p50 {statistics.median(values):6.1f} ms   max {max(values):6.1f} ms")


def take(path, size):
    with open(path, "wb") as f:
        os.posix_fallocate(f.fileno(), 0, size)


def guard_stressd(mount):
    with tempfile.TemporaryDirectory() as state:
        process = subprocess.Popen(
            [STRESSD, "disk", "--path", str(mount), "--size", "16M", "--floor", "128M", "--duration", "30s",
             "--state-dir", state, "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while os.statvfs(mount).f_bfree * os.statvfs(mount).f_frsize > (256 - 16) << 20:
            if time.monotonic() > deadline:
                process.kill()
                raise SystemExit("the fill never took its 16 MiB")
            time.sleep(0.005)
        time.sleep(random.uniform(0.1, 0.2))  # any phase of the guard's 100 ms
        breach = time.monotonic()
        take(mount / "bench-breach", 160 << 20)
        out, _ = process.communicate(timeout=30)
        ended = time.monotonic()
        os.unlink(mount / "bench-breach")
        report = json.loads(out)
        if report["outcome"]["status"] != "guard-tripped" or report["cleanup"]["leftovers"]:
            raise SystemExit(f"stressd did not trip cleanly: {report['outcome']} {report['cleanup']}")
        return (ended - breach) * 1000


def guard_floor(mount):
    victim = subprocess.Popen(["sleep", "30"])
    result = {}

    def watch():
        while True:
            stat = os.statvfs(mount)
            if stat.f_bavail * stat.f_frsize < 128 << 20:
                victim.kill()
                victim.wait()
                result["ended"] = time.monotonic()
                return
            time.sleep(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    time.sleep(random.uniform(0.2, 0.3))
    breach = time.monotonic()
    take(mount / "bench-breach", 176 << 20)
    watcher.join(timeout=10)
    os.unlink(mount / "bench-breach")
    return (result["ended"] - breach) * 1000


def guard_section(work):
    mount = Path(tempfile.mkdtemp(dir=work))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256M,mode=0700", "tmpfs", str(mount)], check=True)
    try:
        guard_stressd(mount)  # warm-up
        ours, theirs = [], []
        for _ in range(GUARD_RUNS):
            ours.append(guard_stressd(mount))
            theirs.append(guard_floor(mount))
    finally:
        subprocess.run(["umount", str(mount)], check=True)
    print(f"== guard breach to attack stopped (disk floor, read every 100 ms, {GUARD_RUNS} runs, interleaved)")
    for name, values in (("stressd disk (to exit, cleanup verified)", ours), ("floor: statvfs poll + SIGKILL a sleep", theirs)):
        print(f"  {name:44s} p50 {statistics.median(values):6.1f} ms   max {max(values):6.1f} ms")
    print(f"  stressd - floor, p50: {statistics.median(ours) - statistics.median(theirs):+.1f} ms")


def main():
    with tempfile.TemporaryDirectory(prefix="stressd-idle-bench-") as work:
        floor, ready_floor = build(work)
        ready_section(work, ready_floor)
        guard_section(Path(work))
        idle_section(work, floor)


if __name__ == "__main__":
    main()
