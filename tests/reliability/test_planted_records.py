"""A reboot, planted by hand (issue 14): a ledger record written under another
boot id, in the format real records have, that names a real fill folder and
processes this test started (as workers, stopped processes, supervisor and
watchdog). `stressd cleanup`, and `stressd serve` at start (its replay),
must remove the fill folder, because files survive a reboot, and must never
signal those processes: under another boot, the recorded pids are someone
else's now.

Each planted process is a small Python program that writes the name of any
catchable signal it gets to a file; SIGKILL and SIGSTOP show in its state.
"""
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from harness import procs
from harness.serve import ServeAgent

CATCHER = r"""
import os, signal, sys, time
out = sys.argv[1]
def note(sig, frame):
    with open(out, "a") as f:
        f.write(signal.Signals(sig).name + "\n")
for s in signal.valid_signals():
    if s in (signal.SIGKILL, signal.SIGSTOP):
        continue
    try:
        signal.signal(s, note)
    except (OSError, ValueError, RuntimeError):
        pass
open(out + ".ready", "w").close()
end = time.monotonic() + 120
while time.monotonic() < end:
    time.sleep(0.05)
"""


def state(pid):
    return procs.read(pid).state


def this_boot():
    with open("/proc/sys/kernel/random/boot_id") as f:
        return f.read().strip()


@pytest.fixture
def planted(tmp_path, binary):
    """A state dir with one record of another boot; its fill folder; four
    live processes the record names (one of them stopped by the test)."""
    if os.geteuid() != 0:
        pytest.skip("needs root: the fill folder must be owned by the uid stressd runs as (root)")
    catchers, notes = [], {}
    for role in ("worker", "stopped", "supervisor", "watchdog"):
        out = tmp_path / f"{role}.signals"
        p = subprocess.Popen([sys.executable, "-c", CATCHER, str(out)], stdin=subprocess.DEVNULL)
        catchers.append(p)
        notes[role] = (p, out)
    try:
        deadline = time.monotonic() + 10
        for role, (p, out) in notes.items():
            while not os.path.exists(str(out) + ".ready"):
                assert time.monotonic() < deadline, f"{role} catcher did not start"
                time.sleep(0.01)
        os.kill(notes["stopped"][0].pid, signal.SIGSTOP)
        deadline = time.monotonic() + 5
        while state(notes["stopped"][0].pid) != "T":
            assert time.monotonic() < deadline
            time.sleep(0.01)

        boot = str(uuid.uuid4())
        assert boot != this_boot()
        attack_id = "disk-0b007ed1"
        fill_parent = tmp_path / "data"
        fill_parent.mkdir(mode=0o755)
        folder = fill_parent / f".stressd-fill-{attack_id}"
        folder.mkdir(mode=0o700)
        for n in range(2):
            with open(folder / f"fill-{n:04d}", "wb") as f:
                f.write(b"\0" * 65536)
        st = os.stat(fill_parent)
        state_dir = tmp_path / "state"
        state_dir.mkdir(mode=0o700)
        (state_dir / "ledger").mkdir(mode=0o700)

        def ident(role):
            pid = notes[role][0].pid
            return {"pid": pid, "startTime": procs.read(pid).start}

        # The format of a real record (a `stressd disk` run's, read while it ran).
        record = {
            "bootID": boot,
            "cgroups": [],
            "deadline": "2026-01-02T03:04:35Z",
            "fillDirectories": [{
                "owner": 0,
                "parent": {"device": st.st_dev, "inode": st.st_ino, "owner": st.st_uid},
                "path": str(folder),
            }],
            "id": attack_id,
            "spec": {"duration": "30s", "kind": "disk", "path": str(fill_parent), "size": "131072"},
            "startedAt": "2026-01-02T03:04:05Z",
            "stoppedProcesses": [ident("stopped")],
            "supervisor": ident("supervisor"),
            "watchdog": ident("watchdog"),
            "workers": [ident("worker")],
        }
        path = state_dir / "ledger" / f"{attack_id}.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, json.dumps(record, indent=2).encode())
        os.close(fd)
        yield {"state": state_dir, "record": path, "folder": folder, "id": attack_id,
               "notes": notes, "tmp": tmp_path}
    finally:
        for p in catchers:
            if p.poll() is None:
                p.kill()
            p.wait(timeout=5)


def assert_untouched(planted):
    for role, (p, out) in planted["notes"].items():
        assert p.poll() is None, f"the planted {role} (pid {p.pid}) was killed"
        got = out.read_text() if out.exists() else ""
        assert got == "", f"the planted {role} (pid {p.pid}) got signals: {got.split()}"
    assert state(planted["notes"]["stopped"][0].pid) == "T", "the stopped process was resumed"
    for role in ("worker", "supervisor", "watchdog"):
        assert state(planted["notes"][role][0].pid) != "T"


def test_cleanup_removes_the_fill_of_another_boot_and_signals_nothing(planted, binary):
    r = subprocess.run([binary, "cleanup", "--json", "--state-dir", str(planted["state"])],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr
    assert not planted["folder"].exists(), f"fill folder left: {r.stdout}"
    assert not planted["record"].exists(), f"record left: {r.stdout}"
    assert planted["id"] in r.stdout
    # Give a stray signal time to be delivered and noted.
    time.sleep(0.3)
    assert_untouched(planted)
    # A second run has nothing to undo.
    r = subprocess.run([binary, "cleanup", "--json", "--state-dir", str(planted["state"])],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr
    assert planted["id"] not in r.stdout


def test_serve_replays_the_record_of_another_boot_at_start(planted, binary):
    agent = ServeAgent(binary, planted["tmp"] / "agent", state_dir=planted["state"])
    try:
        agent.launch()
        # /healthz answers as soon as the port is open; the agent's own routes
        # wait for the start-up replay (it runs on the agent before any
        # request), so the first list already names the attack as recovered.
        listed = agent.attacks()
        assert not planted["folder"].exists(), "fill folder left after the start-up replay"
        assert not planted["record"].exists(), "record left after the start-up replay"
        text = json.dumps(listed)
        assert planted["id"] in text and "recovered" in text, text
        time.sleep(0.3)
        assert_untouched(planted)
    finally:
        stopped = agent.stop(grace=10)
    assert not stopped, stopped
    assert_untouched(planted)
