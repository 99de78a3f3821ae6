#!/usr/bin/env python3
"""`stressd report --list` over a full state directory: 500 reports (the
default `[reports] keep`) of the largest size a report reaches (a timeline
of 600 samples, every field set), listed from their summary files, and the
same 500 without them (an earlier stressd's reports, listed by decoding
each report: what every list did before the summaries). Whole command,
start-up included; median of 5 interleaved runs, and the largest RSS.
"""
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time

STRESSD = os.environ.get("STRESSD_BIN", ".build/release/stressd")
REPORTS = 500


def fill(state):
    """Writes REPORTS largest-size reports, each with its summary; returns one report's size."""
    out = subprocess.run([STRESSD, "cpu", "--load", "10", "--duration", "2s", "--json", "--state-dir", state],
                         capture_output=True, text=True, check=True).stdout
    report = json.loads(out)
    folder = os.path.join(state, "reports")
    with open(os.path.join(folder, report["id"] + ".summary.json")) as f:
        summary = json.load(f)
    sample = dict(report["timeline"][-1], cpuBusyPercent=12.345678, cpuPressurePercent=12.345678,
                  memoryPressurePercent=12.345678, ioPressurePercent=12.345678,
                  diskAvailableBytes={"/var/tmp": 123456789012})
    report["timeline"] = [dict(sample, elapsed=i * 0.25) for i in range(600)]
    samples = report["cpu"]["samples"]
    if samples:
        report["cpu"]["samples"] = [dict(samples[0]) for _ in range(600)]
    for name in os.listdir(folder):
        os.unlink(os.path.join(folder, name))
    for index in range(REPORTS):
        id = f"cpu-{index:08x}"
        with open(os.path.join(folder, id + ".json"), "w") as f:
            f.write(json.dumps(dict(report, id=id)))
        with open(os.path.join(folder, id + ".summary.json"), "w") as f:
            f.write(json.dumps(dict(summary, id=id)))
    return len(json.dumps(report))


def list_ms(state):
    start = time.monotonic()
    listed = subprocess.run([STRESSD, "report", "--list", "--json", "--state-dir", state],
                            capture_output=True, text=True, check=True).stdout
    elapsed = (time.monotonic() - start) * 1000
    assert len(json.loads(listed)) == REPORTS
    return elapsed


def max_rss_mib(state):
    """The list command's largest resident size, from wait4's rusage."""
    proc = subprocess.Popen([STRESSD, "report", "--list", "--json", "--state-dir", state], stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


def main():
    work = tempfile.mkdtemp(prefix="stressd-bench-")
    try:
        with_summaries, without = os.path.join(work, "with"), os.path.join(work, "without")
        os.mkdir(with_summaries, 0o700)
        size = fill(with_summaries)
        shutil.copytree(with_summaries, without)
        for name in os.listdir(os.path.join(without, "reports")):
            if name.endswith(".summary.json"):
                os.unlink(os.path.join(without, "reports", name))
        times = {"from summaries": [], "from the reports": []}
        for _ in range(5):
            times["from summaries"].append(list_ms(with_summaries))
            times["from the reports"].append(list_ms(without))
        print(f"report --list of {REPORTS} reports of {size / 1024:.0f} KB (start-up included, median of 5 interleaved)")
        for what, state in (("from summaries", with_summaries), ("from the reports", without)):
            print(f"  {what:<18} median {statistics.median(times[what]):7.1f} ms   max RSS {max_rss_mib(state):5.1f} MiB")
        speedup = statistics.median(times["from the reports"]) / statistics.median(times["from summaries"])
        print(f"  summaries are {speedup:.0f}x quicker")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
