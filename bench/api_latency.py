#!/usr/bin/env python3
"""API responsiveness while the host burns: p50/p99 latency of
GET /v1/attacks from wrk on loopback, first with the agent idle, then with a
CPU attack at 100% on every core, side by side in one run. The target: p99
under 50 ms while burning. Rounds alternate idle and burning; medians shown.
"""
import json
import os
import secrets
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

STRESSD = os.environ.get("STRESSD_BIN", ".build/release/stressd")
PORT = 17373
BASE = f"http://127.0.0.1:{PORT}"
ROUNDS, SECONDS, CONNECTIONS = 3, 8, 4
# The agent needs a token even on loopback; a throwaway one for this run.
TOKEN = secrets.token_hex(32)
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method, headers={"Content-Type": "application/json", **AUTH})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def wrk_latency():
    """(p50, p99) in ms of GET /v1/attacks over SECONDS."""
    out = subprocess.run(["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency",
                          "-H", f"Authorization: Bearer {TOKEN}", BASE + "/v1/attacks"],
                         capture_output=True, text=True, check=True).stdout
    def percentile(name):
        match = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    return percentile("50"), percentile("99")


def main():
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: run `make bench`, which installs it")
    state = tempfile.mkdtemp(prefix="stressd-bench-api-")
    token_file = os.path.join(state, "token")
    with open(os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
        f.write(TOKEN)
    agent = subprocess.Popen([STRESSD, "serve", "--listen", f"127.0.0.1:{PORT}", "--state-dir", state,
                              "--token-file", token_file],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/healthz").read()
                break
            except OSError:
                time.sleep(0.05)
        idle, burning = [], []
        for _ in range(ROUNDS):
            idle.append(wrk_latency())
            attack = call("POST", "/v1/attacks", {"kind": "cpu", "load": "100%", "cores": "all", "duration": "60s"})["id"]
            time.sleep(1)
            burning.append(wrk_latency())
            call("DELETE", f"/v1/attacks/{attack}")
        print(f"API latency, GET /v1/attacks, wrk -c{CONNECTIONS} for {SECONDS}s, {ROUNDS} alternating rounds (medians):")
        for name, rows in (("idle agent", idle), ("CPU burn 100% on every core", burning)):
            p50 = statistics.median(r[0] for r in rows)
            p99 = statistics.median(r[1] for r in rows)
            print(f"  {name:<30} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")
        worst = max(r[1] for r in burning)
        print(f"  worst p99 while burning: {worst:.2f} ms (target < 50 ms): {'met' if worst < 50 else 'NOT met'}")
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait()
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
