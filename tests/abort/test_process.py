"""
`process` conditions against a process the test owns: a copy of sleep
under a name of its own (the kernel's comm, what `process NAME` matches,
is the file's name, at most 15 characters). Killing it mid-attack aborts
the attack, naming it; `min=2` with one running refuses the attack.
"""
import secrets
import shutil
import subprocess
import time

import pytest

from attacks import BOUND, CPU, aborted_by, assert_clean, assert_refused, evaluations, stressd_cgroups

EVERY = 0.2
SLACK = 0.5  # a look at every process in /proc takes a while


@pytest.fixture
def victim(tmp_path):
    """(name, Popen) of a `NAME 60` that is killed at teardown."""
    name = f"abrt-v{secrets.token_hex(3)}"
    program = tmp_path / name
    shutil.copy2(shutil.which("sleep"), program)
    proc = subprocess.Popen([str(program), "60"], stdin=subprocess.DEVNULL)
    yield name, proc
    proc.kill()
    proc.wait()


def test_killed_process_aborts_it(victim, oneshot):
    name, proc = victim
    line = f"process {name} every=200ms"
    shot = oneshot(CPU + BOUND, line)
    shot.wait_started()
    time.sleep(0.8)
    proc.kill()
    proc.wait()
    broke = shot.since_spawn(time.monotonic())
    result = shot.finish()

    outcome = aborted_by(result, line)
    evs = evaluations(result.report, line)
    assert evs[0]["passed"] and evs[0]["value"] == 1, evs[0]
    assert all(e["passed"] for e in evs[:-1]) and not evs[-1]["passed"], evs
    assert evs[-1]["value"] == 0 and name in evs[-1]["detail"], evs[-1]
    assert name in outcome["reason"], outcome
    assert evs[-1]["elapsed"] <= broke + EVERY + SLACK, (evs[-1], broke)
    assert_clean(shot, result)


def test_fewer_than_min_refuses_it(victim, run):
    name, _ = victim
    line = f"process {name} min=2"
    before = stressd_cgroups()
    shot, result = run(CPU + BOUND, line)
    stderr = assert_refused(shot, result, line, before)
    assert f"--name {name}, fewer than 2" in stderr, stderr
