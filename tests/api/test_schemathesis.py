"""
schemathesis against a live `stressd serve` with the agent's own OpenAPI
document (the repo's Sources/StressServer/openapi.yaml, given as a file so
a document being edited is tested before the binary embeds it): no 5xx,
every response as the document says (status, content type, headers,
schema), no schema-valid request refused, schema-invalid ones refused.

Harmless by construction (see conftest.py and st_hooks.py): the agent
allows one attack at a time and the test's own blocker (cpu, 1% of one
core) holds that slot, so every request schemathesis sends is parsed and
validated in full against the host and the policy, then refused 409
before anything starts; `DELETE /v1/attacks` (which would stop the
blocker) runs in a second pass of its own, with nothing else. A watchdog
thread stops at once any attack but the blocker that runs anyway, and
fails the test. Kill and pause see only the agent's PID namespace; disk
paths point into a 64 MiB tmpfs.

STRESSD_ST_MAX_EXAMPLES (default 25) and STRESSD_ST_MAX_TIME (seconds,
default none) size the run: `make api-check` keeps the defaults, `make
api-fuzz` raises them.
"""
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from conftest import DOCUMENT

HERE = Path(__file__).resolve().parent
CONFIG = """max-attacks = 1
[policy]
max-duration = "80000h"
disk-floor = "1M"
"""


class Watchdog(threading.Thread):
    """Stops any running attack but the blocker, at once, and remembers it."""

    def __init__(self, agent, blocker: str):
        super().__init__(daemon=True)
        self.agent, self.blocker = agent, blocker
        self.strays, self.blocker_gone = [], False
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.2):
            try:
                running = self.agent.running()
            except Exception:
                continue
            ids = [a["id"] for a in running]
            if self.blocker not in ids:
                self.blocker_gone = True
            for attack in ids:
                if attack != self.blocker:
                    self.strays.append(attack)
                    self.agent.api("DELETE", f"/v1/attacks/{attack}")


def schemathesis(agent, *args, timeout: float):
    env = dict(os.environ)
    env.update(
        SCHEMATHESIS_HOOKS="st_hooks",
        PYTHONPATH=str(HERE) + os.pathsep + env.get("PYTHONPATH", ""),
        STRESSD_FILL_DIR=str(agent.fill_dir),
        STRESSD_OWNED_PID=str(agent.owned_pid),
        STRESSD_ST_LOG=str(agent.folder / "starts.jsonl"),
    )
    st = Path(sys.executable).with_name("st")
    command = [
        str(st), "--no-color", "--config-file", str(HERE / "schemathesis.toml"), "run", str(DOCUMENT),
        "--url", agent.url, "-H", f"Authorization: Bearer {agent.token}",
        "--max-examples", os.environ.get("STRESSD_ST_MAX_EXAMPLES", "25"),
        "--workers", "1", "--request-timeout", "20", "--suppress-health-check", "all",
        *args,
    ]
    if os.environ.get("STRESSD_ST_MAX_TIME"):
        command += ["--max-time", os.environ["STRESSD_ST_MAX_TIME"]]
    started = time.monotonic()
    result = subprocess.run(command, env=env, cwd=agent.folder, capture_output=True, text=True, timeout=timeout)
    return result, time.monotonic() - started


def figures(output: str) -> str:
    """The summary lines schemathesis prints (operations, cases, checks)."""
    keep = [line for line in output.splitlines()
            if re.search(r"test cases|Test cases|passed|failed|Operations|Checks|Seed|Phases|cases|✅|❌", line)]
    return "\n".join(keep[-40:])


def start_figures(agent) -> str:
    """POST /v1/attacks answers by mode and status, and the positive
    refusals' reasons (host or policy, by construction of the check)."""
    path = agent.folder / "starts.jsonl"
    if not path.exists():
        return "no POST /v1/attacks logged"
    rows = [json.loads(line) for line in path.read_text().splitlines() if line]
    by = Counter((r["mode"], r["status"]) for r in rows)
    reasons = Counter(re.sub(r"'[^']*'|\d[\w. ]*", "…", r["detail"] or "")[:90]
                      for r in rows if r["mode"] == "positive" and r["status"] == 422)
    lines = [f"POST /v1/attacks: {len(rows)} requests; " + ", ".join(f"{m} {st}: {n}" for (m, st), n in sorted(by.items()))]
    lines += [f"  positive 422 x{n}: {reason}" for reason, n in reasons.most_common(12)]
    # Schema-invalid requests the agent validated (only the blocker's 409
    # refused them): where the agent is laxer than the document.
    lax = Counter(json.dumps({k: v for k, v in r.items() if k in ("body", "headers") and v}, sort_keys=True)[:200]
                  for r in rows if r["mode"] == "negative" and r["status"] == 409)
    lines += [f"  schema-invalid, yet validated x{n}: {what}" for what, n in lax.most_common(12)]
    return "\n".join(lines)


def test_schemathesis_finds_nothing(make_agent):
    agent = make_agent(CONFIG)
    status, blocker = agent.api("POST", "/v1/attacks", {
        "kind": "cpu", "load": "1%", "cores": 1, "duration": "2h", "labels": {"role": "blocker"}})
    assert status == 201, blocker
    watchdog = Watchdog(agent, blocker["id"])
    watchdog.start()
    budget = float(os.environ.get("STRESSD_ST_TIMEOUT", "1500"))
    try:
        first, first_seconds = schemathesis(agent, "--exclude-operation-id", "haltAll", timeout=budget)
    finally:
        watchdog.done.set()
        watchdog.join()
    print(f"\n== pass 1 (every operation but haltAll), {first_seconds:.1f} s\n{figures(first.stdout)}")
    print(start_figures(agent))
    second, second_seconds = schemathesis(
        agent, "--include-operation-id", "haltAll", "--phases", "examples,coverage,fuzzing", timeout=600)
    print(f"\n== pass 2 (haltAll alone), {second_seconds:.1f} s\n{figures(second.stdout)}")
    status, halted = agent.api("DELETE", "/v1/attacks")
    assert status == 200, halted
    left = agent.wait_clean()
    assert first.returncode == 0, first.stdout[-20000:] + first.stderr[-3000:]
    assert second.returncode == 0, second.stdout[-20000:] + second.stderr[-3000:]
    assert not watchdog.strays, f"attacks started past the blocker: {watchdog.strays}"
    assert not watchdog.blocker_gone, "the blocker stopped during pass 1: schemathesis' starts were not all refused"
    assert not left, left
    assert "level=error" not in agent.log_text(), agent.log_text()[-5000:]


RUNNING_CONFIG = """max-attacks = 1
[policy]
max-duration = "1s"
memory-floor = "95%"
disk-floor = "1M"
"""


def test_schemathesis_with_attacks_that_run(make_agent):
    """No blocker: what schemathesis starts runs, so the 201 answers, a
    running attack's GET, its lease renewal and its stop are checked too.
    Tiny by the agent's config: one attack at a time, at most 1 s, memory
    never below 95% of the limit available (a mem attack holds at most
    5%), disk only in the 64 MiB tmpfs, kill and pause only in the
    namespace (positive ones at the owned sleep)."""
    agent = make_agent(RUNNING_CONFIG)
    result, seconds = schemathesis(
        agent, "--phases", "examples,fuzzing,stateful",
        "--include-operation-id", "startAttack", "--include-operation-id", "getAttack",
        "--include-operation-id", "renewLease", "--include-operation-id", "stopAttack",
        "--include-operation-id", "getReport", timeout=900)
    print(f"\n== attacks that run, {seconds:.1f} s\n{figures(result.stdout)}")
    print(start_figures(agent))
    status, halted = agent.api("DELETE", "/v1/attacks")
    assert status == 200, halted
    left = agent.wait_clean()
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-3000:]
    rows = [json.loads(line) for line in (agent.folder / "starts.jsonl").read_text().splitlines() if line]
    assert any(r["status"] == 201 for r in rows), "no attack started: the 201 answers went unchecked"
    assert not left, left
    assert "level=error" not in agent.log_text(), agent.log_text()[-5000:]
