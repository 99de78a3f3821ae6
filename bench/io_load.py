#!/usr/bin/env python3
"""Disk I/O load: `stressd io` beside fio (the reference) and stress-ng
--hdd, at the same block size, pattern and mix, in one run.

Each case runs every tool for the same time on the same kind of working
set (a fresh 256 MiB file in a temp dir on the disk, direct I/O, one job,
synchronous reads and writes: fio's psync engine), rounds interleaved tool
by tool, medians reported. A tool's bandwidth is its own count of bytes
moved over its own load time (stressd's report, fio's JSON); the device's
counters (/proc/diskstats, every process's I/O) over each run are printed
beside it, as a check that the load reached the device.

Unthrottled cases also run a floor (bench/io_floor.c): the same layout and
one pread/pwrite per block with O_DIRECT in C, nothing timed per operation
and no reporting, to tell stressd's own cost from what the device and the
kernel give.

Stop: deadline to every worker reaped and the working set deleted
(`cleanup.reapMilliseconds`), beside its floor, `rm` of a written file of
the same size on the same file system (freeing written blocks is the file
system's work: with online discard it is most of the time).

Targets (issue 15): unthrottled, stressd's bandwidth at least 0.9x fio's;
paced, stressd's achieved rate within 5 % of the requested one. stress-ng
has no pace and no read mix in --hdd; it runs only the unthrottled write
case, where it is printed as a ratio of fio's as well.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

STRESSD = os.environ.get("STRESSD_BIN", ".build/release/stressd")
WORK_PARENT = os.environ.get("IO_BENCH_DIR", "/var/tmp")
SIZE_MIB = 256
SECONDS = int(os.environ.get("IO_BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("IO_BENCH_ROUNDS", "3"))
# Every stressd run's stop time (ms), for the stop section.
STOPS = []

# (name, block size, read share %, pattern, rate in MiB/s or None)
CASES = [
    ("4K random writes", "4k", 0, "random", None),
    ("4K random reads", "4k", 100, "random", None),
    ("64K random 70% reads", "64k", 70, "random", None),
    ("1M sequential writes", "1m", 0, "sequential", None),
    ("64K random writes at 16 MiB/s", "64k", 0, "random", 16),
    ("4K random 50% reads at 4 MiB/s", "4k", 50, "random", 4),
]


def device_of(path):
    dev = os.stat(path).st_dev
    major, minor = os.major(dev), os.minor(dev)
    with open("/proc/diskstats") as f:
        for line in f:
            fields = line.split()
            if int(fields[0]) == major and int(fields[1]) == minor:
                return fields[2]
    return None


def device_bytes(name):
    if name is None:
        return 0
    with open("/proc/diskstats") as f:
        for line in f:
            fields = line.split()
            if fields[2] == name:
                return (int(fields[5]) + int(fields[9])) * 512
    return 0


def run_stressd(work, block, read, pattern, rate):
    state = os.path.join(work, "state")
    target = os.path.join(work, "stressd")
    os.makedirs(target, exist_ok=True)
    args = [STRESSD, "io", "--path", target, "--size", f"{SIZE_MIB}M", "--block-size", block, "--read", f"{read}%",
            "--pattern", pattern, "--duration", f"{SECONDS}s", "--json", "--state-dir", state]
    if rate:
        args += ["--rate", f"{rate}M/s"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=SECONDS + 120)
    if out.returncode != 0:
        sys.exit(f"stressd io failed ({out.returncode}): {out.stderr}")
    report = json.loads(out.stdout)
    if report["cleanup"]["leftovers"]:
        sys.exit(f"stressd left something behind: {report['cleanup']['leftovers']}")
    io = report["io"]
    STOPS.append(report["cleanup"]["reapMilliseconds"])
    return io["bytesPerSecond"], io.get("latencyP50Microseconds")


def run_fio(work, block, read, pattern, rate):
    target = os.path.join(work, "fio")
    os.makedirs(target, exist_ok=True)
    rw = {"random": "randrw", "sequential": "rw"}[pattern]
    args = ["fio", "--name=bench", f"--directory={target}", f"--size={SIZE_MIB}m", f"--bs={block}", f"--rw={rw}",
            f"--rwmixread={read}", "--direct=1", "--ioengine=psync", "--numjobs=1", f"--runtime={SECONDS}",
            "--time_based", "--output-format=json", "--unlink=1"]
    if rate:
        # fio paces reads and writes each on its own: split the total by the mix.
        reads, writes = rate * read / 100, rate * (100 - read) / 100
        args.append(f"--rate={int(reads * 1024) or ''}{'k' if reads else ''},{int(writes * 1024) or ''}{'k' if writes else ''}")
    out = subprocess.run(args, capture_output=True, text=True, timeout=SECONDS + 120)
    if out.returncode != 0:
        sys.exit(f"fio failed ({out.returncode}): {out.stderr}")
    job = json.loads(out.stdout)["jobs"][0]
    moved = job["read"]["io_bytes"] + job["write"]["io_bytes"]
    seconds = job["job_runtime"] / 1000
    lat = None
    for side in ("read", "write"):
        pct = job[side].get("clat_ns", {}).get("percentile", {}).get("50.000000")
        if job[side]["io_bytes"] and pct:
            lat = pct / 1000 if lat is None else min(lat, pct / 1000)
    return moved / seconds, lat


FLOOR = []


def run_floor(work, block, read, pattern, rate):
    if not FLOOR:
        binary = os.path.join(work, "io_floor")
        subprocess.run(["cc", "-O2", "-o", binary, os.path.join(os.path.dirname(os.path.abspath(__file__)), "io_floor.c")], check=True)
        FLOOR.append(binary)
    target = os.path.join(work, "floor")
    os.makedirs(target, exist_ok=True)
    size = {"k": 1 << 10, "m": 1 << 20}[block[-1]] * int(block[:-1])
    out = subprocess.run([FLOOR[0], target, str(SIZE_MIB << 20), str(size), str(read), pattern, str(SECONDS)],
                         capture_output=True, text=True, timeout=SECONDS + 120)
    if out.returncode != 0:
        sys.exit(f"io_floor failed ({out.returncode}): {out.stderr}")
    return float(out.stdout), None


def run_stress_ng(work, block, read, pattern, rate):
    """Writes only, unpaced: --hdd's own options cannot say more."""
    target = os.path.join(work, "stress-ng")
    os.makedirs(target, exist_ok=True)
    opts = "direct,wr-rnd" if pattern == "random" else "direct,wr-seq"
    device = device_of(target)
    before = device_bytes(device)
    start = time.monotonic()
    out = subprocess.run(["stress-ng", "--hdd", "1", "--hdd-bytes", f"{SIZE_MIB}m", "--hdd-write-size", block,
                          "--hdd-opts", opts, "--timeout", f"{SECONDS}s", "--temp-path", target, "--quiet"],
                         capture_output=True, text=True, timeout=SECONDS + 120)
    seconds = time.monotonic() - start
    if out.returncode != 0:
        sys.exit(f"stress-ng failed ({out.returncode}): {out.stderr}")
    return (device_bytes(device) - before) / seconds, None


def rm_floor(work):
    """Milliseconds to delete a written working set: dd it (direct), sync, time the unlink."""
    path = os.path.join(work, "rm-floor")
    subprocess.run(["dd", "if=/dev/urandom", f"of={path}", "bs=1M", f"count={SIZE_MIB}", "oflag=direct", "status=none"], check=True)
    os.sync()
    start = time.monotonic()
    os.unlink(path)
    return (time.monotonic() - start) * 1000


def main():
    if not os.access(STRESSD, os.X_OK):
        sys.exit(f"no stressd at {STRESSD}: set STRESSD_BIN (`make bench` builds and sets it)")
    for tool in ("fio", "stress-ng"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: `make bench-deps` installs it")
    work = tempfile.mkdtemp(prefix="stressd-io-bench-", dir=WORK_PARENT)
    device = device_of(work)
    print(f"disk I/O load, {SIZE_MIB} MiB working set in {work} (device {device}), {SECONDS} s per run, "
          f"median of {ROUNDS} interleaved rounds, direct I/O, one job")
    failures = []
    try:
        only = os.environ.get("IO_BENCH_ONLY")
        for name, block, read, pattern, rate in CASES:
            if only and only not in name:
                continue
            tools = [("stressd", run_stressd), ("fio", run_fio)]
            if rate is None:
                tools.append(("C floor", run_floor))
            if read == 0 and rate is None:
                tools.append(("stress-ng --hdd", run_stress_ng))
            results = {tool: [] for tool, _ in tools}
            devices = {tool: [] for tool, _ in tools}
            for _ in range(ROUNDS):
                for tool, run in tools:
                    before, start = device_bytes(device), time.monotonic()
                    bandwidth, lat = run(work, block, read, pattern, rate)
                    devices[tool].append((device_bytes(device) - before) / (time.monotonic() - start))
                    results[tool].append((bandwidth, lat))
            print(f"\n{name}:")
            medians = {}
            for tool, _ in tools:
                bandwidth = statistics.median(b for b, _ in results[tool])
                lats = [l for _, l in results[tool] if l is not None]
                medians[tool] = bandwidth
                line = f"  {tool:16s} {bandwidth / 2**20:8.1f} MiB/s"
                if lats:
                    line += f"  p50 {statistics.median(lats):7.0f} µs"
                line += f"  (device {statistics.median(devices[tool]) / 2**20:7.1f} MiB/s)"
                if tool != "fio":
                    line += f"  {bandwidth / medians['fio']:.2f}x fio" if "fio" in medians else ""
                print(line)
            ratio = medians["stressd"] / medians["fio"]
            print(f"  stressd / fio    {ratio:.2f}x")
            if "C floor" in medians:
                print(f"  stressd / floor  {medians['stressd'] / medians['C floor']:.2f}x  (fio / floor {medians['fio'] / medians['C floor']:.2f}x)")
            if rate:
                off = medians["stressd"] / (rate * 2**20) - 1
                print(f"  stressd vs asked {off * 100:+.1f}% of {rate} MiB/s (target within 5%)")
                if abs(off) > 0.05:
                    failures.append(f"{name}: stressd {off * 100:+.1f}% off the requested rate")
            elif ratio < 0.9:
                failures.append(f"{name}: stressd {ratio:.2f}x fio (target at least 0.9x)")
        floors = [rm_floor(work) for _ in range(ROUNDS)]
        print(f"\nstop, deadline to workers reaped and {SIZE_MIB} MiB deleted: stressd median {statistics.median(STOPS):.0f} ms "
              f"(max {max(STOPS):.0f}, {len(STOPS)} runs); floor, rm of a written {SIZE_MIB} MiB file: "
              f"median {statistics.median(floors):.0f} ms (max {max(floors):.0f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("\nmissed targets:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nall I/O targets met")


if __name__ == "__main__":
    main()
