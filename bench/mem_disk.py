#!/usr/bin/env python3
"""Memory hog and disk fill speed: stressd beside a C mmap(MAP_POPULATE)
reference, stress-ng, fallocate(1) and dd, in one run.

Memory: each tool is launched, and its hog's RSS is polled every 1 ms until
it holds the target; the time from launch to target is what a user waits.
Warm-up rounds first (the first large touch after idle is several times
slower), then rounds interleaved tool by tool, and the median is reported
(the hog's rounds each start one tool later, so no tool always follows the
same one). Beside them the hog's floor (bench/mem_populate_parallel.c: its 64 MiB
populated chunks on every CPU at once and nothing else), which says what
any program doing these steps can reach on this host, and in how many
rounds even it is ahead of stress-ng.

Disk: each command is launched in a temp dir and statvfs is polled (every
0.1 ms) until the space is taken; the time from launch to taken, median of
interleaved rounds. Beside the commands, two floors: the least any program
that records the fill durably before the first byte must do, in C
(bench/durable_fill.c) and in Swift linked as stressd is
(bench/durable_fill.swift), whose difference is the language's start-up;
and the same fill asked of a running agent over the API (request sent to
space taken, Python's HTTP client included: no process start-up), which is
held to the fill's cost target: at most 2x fallocate(1). Start-up alone
(`stressd --version` beside /bin/true and an empty Swift program) shows how
much of the one-shot command's time is start-up and argument parsing; that
command's ratios are printed, not held to a target (issue 4's notes: a
Swift program that records the fill durably already takes 1.5-1.8x
fallocate(1) before it does anything else).
"""
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

STRESSD = os.environ.get("STRESSD_BIN", ".build/release/stressd")
PAGE = os.sysconf("SC_PAGESIZE")
MEM_BYTES = 1 << 30
DISK_BYTES = 1 << 30
# The agent needs a token even on loopback; a throwaway one for this run.
TOKEN = secrets.token_hex(32)
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ROUNDS, WARMUP = 11, 2
# A round's times swing by a third on a VM: more rounds for the hog's medians.
MEM_ROUNDS = 15
# Fills are quick and their medians noisy at a few milliseconds: more rounds.
DISK_ROUNDS = 15


def rss(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[21]) * PAGE
    except OSError:
        return 0


def tree(pid):
    """Every descendant of `pid`, read from /proc/PID/task/*/children: no
    process is spawned per look. (Each look used to run `pgrep -P` once per
    process of the tree, three times per millisecond for stressd's
    supervisor, worker and watchdog: the bench took CPU from the very hog
    it timed, and more from multi-process tools than from the C reference.)"""
    pids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                pids += [int(p) for p in f.read().split()]
    except OSError:
        return pids
    for child in list(pids):
        pids += tree(child)
    return pids


def time_to_rss(command, target):
    """Seconds from launch until some process of the command holds `target` resident."""
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while time.monotonic() - start < 30:
            if any(rss(p) >= target for p in [proc.pid] + tree(proc.pid)):
                return time.monotonic() - start
            time.sleep(0.001)
        raise RuntimeError(f"{command[0]} never reached {target} bytes")
    finally:
        os.killpg(proc.pid, signal.SIGINT if command[0] == STRESSD else signal.SIGKILL)
        proc.wait()
        time.sleep(0.2)


def time_to_fill(command, directory, target):
    """Seconds from launch until statvfs shows `target` bytes taken."""
    before = shutil.disk_usage(directory).free
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while time.monotonic() - start < 60:
            if before - shutil.disk_usage(directory).free >= target * 0.99:
                return time.monotonic() - start
            if proc.poll() is not None and before - shutil.disk_usage(directory).free < target * 0.99:
                raise RuntimeError(f"{command[0]} exited without filling")
            time.sleep(0.0001)
        raise RuntimeError(f"{command[0]} never filled {target} bytes")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        proc.wait()
        for name in os.listdir(directory):
            path = os.path.join(directory, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)


def time_to_fill_through_agent(agent, directory, target):
    """Seconds from POST /v1/attacks until statvfs shows `target` bytes taken, then DELETE."""
    before = shutil.disk_usage(directory).free
    body = json.dumps({"kind": "disk", "path": directory, "size": str(target), "duration": "30s"}).encode()
    request = urllib.request.Request(f"{agent}/v1/attacks", data=body, headers={"Content-Type": "application/json", **AUTH})
    start = time.monotonic()
    with urllib.request.urlopen(request) as response:
        attack = json.load(response)["id"]
    try:
        while time.monotonic() - start < 60:
            if before - shutil.disk_usage(directory).free >= target * 0.99:
                return time.monotonic() - start
            time.sleep(0.0001)
        raise RuntimeError("the agent never filled the disk")
    finally:
        urllib.request.urlopen(urllib.request.Request(f"{agent}/v1/attacks/{attack}", method="DELETE", headers=AUTH)).read()


def start_agent(state, port):
    """`stressd serve` on loopback, once /healthz answers."""
    os.makedirs(state, exist_ok=True)
    token_file = os.path.join(state, "token")
    with open(os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(TOKEN)
    proc = subprocess.Popen([STRESSD, "serve", "--listen", f"127.0.0.1:{port}", "--state-dir", state,
                             "--token-file", token_file],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("stressd serve did not answer /healthz")


def startup_ms(empty_swift):
    """Median milliseconds of `stressd --version` beside /bin/true and an empty
    Swift program linked the same way: the start-up every command pays, and
    the part of it that is the Swift runtime's rather than stressd's."""
    # A worker whose supervisor is gone exits at once, having parsed nothing
    # with swift-argument-parser: the cost of loading stressd itself.
    orphan = [STRESSD, "worker", "cpu", "--load", "0", "--deadline", "0", "--parent", "999999999"]
    commands = {"/bin/true": ["true"], "empty Swift program (static)": [empty_swift],
                "stressd worker (no argument parser)": orphan, "stressd --version": [STRESSD, "--version"]}
    times = {name: [] for name in commands}
    for _ in range(20):
        for name, command in commands.items():
            start = time.monotonic()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append((time.monotonic() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def build(work, source, flags=()):
    """Compiles a C reference from bench/ into `work`; its path."""
    output = os.path.join(work, os.path.splitext(source)[0])
    subprocess.run(["cc", "-O2", *flags, "-o", output, os.path.join(os.path.dirname(__file__), source)], check=True)
    return output


def build_swift(work, source):
    """Compiles a Swift program with the static runtime, as stressd's release
    build links it, into `work`; its path."""
    output = os.path.join(work, os.path.splitext(os.path.basename(source))[0] + "-swift")
    swiftc = shutil.which("swiftc") or "/opt/swift/usr/bin/swiftc"
    subprocess.run([swiftc, "-O", "-static-stdlib", "-o", output, source], check=True)
    return output


def empty_swift_program(work):
    """An empty Swift program, built as stressd is."""
    source = os.path.join(work, "empty.swift")
    with open(source, "w") as f:
        f.write("")
    return build_swift(work, source)


def c_release_ms(reference):
    """Milliseconds from SIGKILL to reaped for a C hog (the reference, the
    floor) holding MEM_BYTES: the kernel's share."""
    proc = subprocess.Popen([reference, str(MEM_BYTES)])
    while rss(proc.pid) < MEM_BYTES:
        time.sleep(0.001)
    start = time.monotonic()
    proc.kill()
    proc.wait()
    return (time.monotonic() - start) * 1000


def stressd_release_ms(state):
    """(deadline-to-hog-reaped from stressd's own report, SIGKILL-to-hog-dead as
    strace saw it) in ms, for MEM_BYTES. Their difference is stressd's own
    share: the kernel's teardown of 1 GiB varies by tens of ms from run to
    run, so it is measured in the same run rather than taken from the C
    reference's rounds. strace traces only kill(2), through a seccomp filter."""
    trace = os.path.join(state, "kill.trace")
    out = subprocess.run(["strace", "-f", "-ttt", "--seccomp-bpf", "-e", "trace=kill", "-o", trace,
                          STRESSD, "mem", "--size", str(MEM_BYTES), "--duration", "2s", "--json", "--state-dir", state],
                         capture_output=True, text=True).stdout
    reap = json.loads(out)["cleanup"]["reapMilliseconds"]
    killed_at, died_at = {}, {}
    with open(trace) as f:
        for line in f:
            fields = line.split()
            if "kill(" in line and "SIGKILL" in line:
                victim = int(line.split("kill(", 1)[1].split(",", 1)[0])
                killed_at.setdefault(victim, float(fields[1]))
            elif "+++ killed by SIGKILL" in line:
                died_at[int(fields[0])] = float(fields[1])
    hog = next(pid for pid in killed_at if pid in died_at)
    return reap, (died_at[hog] - killed_at[hog]) * 1000


def report(title, results, reference):
    print(title)
    base = statistics.median(results[reference])
    for tool, times in results.items():
        median = statistics.median(times)
        print(f"  {tool:<34} median {median * 1000:8.1f} ms   speed vs {reference}: {base / median:5.2f}x")


def verdict(what, value, target, met):
    """One line per target of issue 4, so a run says whether it holds."""
    print(f"  target: {what} {value} ({target}): {'met' if met else 'NOT met'}")


def main():
    if shutil.which("stress-ng") is None:
        sys.exit("stress-ng is missing: run `make bench`, which installs it")
    work = tempfile.mkdtemp(prefix="stressd-bench-")
    reference = build(work, "mem_populate.c")
    floor = build(work, "mem_populate_parallel.c", flags=["-pthread"])
    state = os.path.join(work, "state")
    memory_bench(reference, floor, state)
    disk_bench(work, state)
    subprocess.run([STRESSD, "cleanup", "--state-dir", state], stdout=subprocess.DEVNULL)
    shutil.rmtree(work)


def memory_bench(reference, floor, state):
    mem = {
        "C mmap(MAP_POPULATE)": [reference, str(MEM_BYTES)],
        "floor: C, chunks on every CPU": [floor, str(MEM_BYTES)],
        "stressd mem": [STRESSD, "mem", "--size", str(MEM_BYTES), "--duration", "30s", "--state-dir", state],
        "stress-ng --vm-populate --vm-keep": ["stress-ng", "--vm", "1", "--vm-bytes", str(MEM_BYTES),
                                              "--vm-populate", "--vm-keep", "-t", "30s", "--quiet"],
    }
    for _ in range(WARMUP):
        for command in mem.values():
            time_to_rss(command, MEM_BYTES)
    results = {tool: [] for tool in mem}
    tools = list(mem)
    for round in range(MEM_ROUNDS):
        # Each round starts one tool later: a tool's time depends on what
        # ran just before it (the pages the last one freed), so no tool
        # may always follow the same one.
        for tool in tools[round % len(tools):] + tools[:round % len(tools)]:
            results[tool].append(time_to_rss(mem[tool], MEM_BYTES))
    report(f"Memory: launch to {MEM_BYTES >> 20} MiB resident (warm, {MEM_ROUNDS} interleaved rounds)", results,
           "C mmap(MAP_POPULATE)")
    median = {tool: statistics.median(times) for tool, times in results.items()}
    speed = median["C mmap(MAP_POPULATE)"] / median["stressd mem"]
    verdict("stressd mem speed vs C", f"{speed:.2f}x", "at least 0.90x", speed >= 0.9)
    to_floor = median["floor: C, chunks on every CPU"] / median["stressd mem"]
    verdict("stressd mem speed vs its floor", f"{to_floor:.2f}x", "at least 0.90x", to_floor >= 0.9)
    # Issue 17: ahead of stress-ng in the same run, round by round (the
    # rounds are interleaved, so each pair saw the same host). Where even
    # the floor is behind in some round, no program doing these steps is
    # ahead in every one on this host.
    theirs = results["stress-ng --vm-populate --vm-keep"]
    ahead = sum(a < b for a, b in zip(results["stressd mem"], theirs))
    floor_ahead = sum(a < b for a, b in zip(results["floor: C, chunks on every CPU"], theirs))
    verdict("stressd mem ahead of stress-ng", f"in {ahead} of {MEM_ROUNDS} rounds (the floor in {floor_ahead})",
            "every round", ahead == MEM_ROUNDS)
    verdict("stressd mem ahead of stress-ng by median", f"{median['stress-ng --vm-populate --vm-keep'] / median['stressd mem']:.2f}x",
            "above 1x", median["stressd mem"] < median["stress-ng --vm-populate --vm-keep"])
    kernel, floor_kernel, ours, shares = [], [], [], []
    for _ in range(ROUNDS):
        kernel.append(c_release_ms(reference))
        floor_kernel.append(c_release_ms(floor))
        reap, teardown = stressd_release_ms(state)
        ours.append(reap)
        shares.append(reap - teardown)
    print(f"Memory release of {MEM_BYTES >> 20} MiB: kill-to-reaped of the C reference (the kernel's teardown) "
          f"median {statistics.median(kernel):.1f} ms, of the floor (populated on every CPU) "
          f"{statistics.median(floor_kernel):.1f} ms; stressd deadline-to-reaped median {statistics.median(ours):.1f} ms; "
          f"stressd's own share (deadline-to-reaped minus its hog's SIGKILL-to-death in the same run) "
          f"median {statistics.median(shares):.1f} ms, max {max(shares):.1f} ms")
    verdict("stressd's own share of the release", f"{statistics.median(shares):.1f} ms", "under 20 ms",
            statistics.median(shares) < 20)


def disk_bench(work, state):
    target = os.path.join(work, "fill")
    os.mkdir(target)
    floor = build(work, "durable_fill.c")
    swift_floor = build_swift(work, os.path.join(os.path.dirname(__file__), "durable_fill.swift"))
    floor_state = os.path.join(work, "floor-state")
    os.mkdir(floor_state)
    disk = {
        "fallocate -l": ["fallocate", "-l", str(DISK_BYTES), os.path.join(target, "f")],
        "C: ledger fsync'd, then fallocate": [floor, floor_state, target, str(DISK_BYTES)],
        "Swift: the same steps": [swift_floor, floor_state, target, str(DISK_BYTES)],
        "stressd disk": [STRESSD, "disk", "--path", target, "--size", str(DISK_BYTES), "--duration", "30s",
                         "--state-dir", state],
        "dd bs=4M": ["dd", "if=/dev/zero", f"of={os.path.join(target, 'd')}", "bs=4M",
                     f"count={DISK_BYTES >> 22}", "conv=fdatasync"],
    }
    results = {tool: [] for tool in disk}
    agent = start_agent(os.path.join(work, "agent-state"), 17171)
    results["stressd agent: POST /v1/attacks"] = []
    try:
        for _ in range(DISK_ROUNDS):
            for tool, command in disk.items():
                if tool == "dd bs=4M":
                    # Before dd: its writeback would slow the next fsyncs.
                    results["stressd agent: POST /v1/attacks"].append(
                        time_to_fill_through_agent("http://127.0.0.1:17171", target, DISK_BYTES))
                results[tool].append(time_to_fill(command, target, DISK_BYTES))
            os.sync()
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait()
    report(f"Disk: launch (or request) to {DISK_BYTES >> 20} MiB taken ({DISK_ROUNDS} interleaved rounds)", results,
           "fallocate -l")
    median = {tool: statistics.median(times) for tool, times in results.items()}
    c_floor = median["C: ledger fsync'd, then fallocate"]
    print(f"  floors: recording the fill durably costs C {c_floor / median['fallocate -l']:.2f}x fallocate(1), "
          f"Swift {median['Swift: the same steps'] / median['fallocate -l']:.2f}x (its runtime's start-up)")
    cost = median["stressd agent: POST /v1/attacks"] / median["fallocate -l"]
    verdict("a fill through the agent (request to space taken, HTTP included) vs fallocate(1)",
            f"{cost:.2f}x the time ({median['stressd agent: POST /v1/attacks'] / c_floor:.2f}x the C floor)",
            "at most 2x", cost <= 2)
    startup = startup_ms(empty_swift_program(work))
    print("Start-up alone (median of 20 interleaved): " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in startup.items()))
    print(f"  measured, no target: stressd disk as a one-shot command is "
          f"{median['stressd disk'] / median['fallocate -l']:.1f}x fallocate(1), "
          f"{median['stressd disk'] / median['Swift: the same steps']:.1f}x the Swift floor; the rest is loading "
          f"stressd and parsing its arguments (`stressd --version` alone: {startup['stressd --version']:.1f} ms)")


if __name__ == "__main__":
    main()
