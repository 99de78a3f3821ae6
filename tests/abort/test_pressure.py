"""
`pressure` conditions read PSI (avg10) from this host: a ceiling no host
reaches (99%) holds through a memory attack and its evaluations carry the
values read, in %; the same for the root cgroup's own memory.pressure
where the host has one. A ceiling that may or may not be passed under
load (`cpu some=0%`) would make a flaky test; a cgroup that does not exist
is certain: the attack is refused at admission, naming it.
"""
import os

import pytest

from attacks import MEM, assert_clean, assert_refused, evaluations, stressd_cgroups


def held_throughout(shot, result, line):
    assert result.rc == 0, result.stderr
    assert result.report["outcome"]["status"] == "completed", result.report["outcome"]
    entry = [c for c in result.report["abortConditions"] if c["condition"] == line]
    assert entry and entry[0]["unit"] == "%" and entry[0]["source"] == "request", result.report["abortConditions"]
    evs = evaluations(result.report, line)
    assert len(evs) >= 3, evs  # at the start, then every 300ms for 1.5 s
    for e in evs:
        assert e["passed"], e
        assert isinstance(e["value"], (int, float)) and 0 <= e["value"] <= 99, e
    assert_clean(shot, result)
    return evs


def test_host_memory_pressure_under_ceiling_holds(run):
    line = "pressure memory every=300ms some=99%"
    shot, result = run(MEM + ["--duration", "1500ms"], line)
    evs = held_throughout(shot, result, line)
    assert "the host's memory pressure" in evs[0]["detail"], evs[0]


def test_root_cgroup_memory_pressure_holds(run):
    if not any(os.path.exists(f"{root}/memory.pressure") for root in ("/sys/fs/cgroup/unified", "/sys/fs/cgroup")):
        pytest.skip("no memory.pressure in the cgroup v2 root (/sys/fs/cgroup/unified or /sys/fs/cgroup)")
    line = "pressure memory cgroup=/ every=300ms some=99%"
    shot, result = run(MEM + ["--duration", "1500ms"], line)
    evs = held_throughout(shot, result, line)
    assert "cgroup /'s memory pressure" in evs[0]["detail"], evs[0]


def test_missing_cgroup_refuses_it(run):
    path = f"/stressd-abort-test-nonexistent-{os.getpid()}"
    line = f"pressure memory cgroup={path} some=50%"
    before = stressd_cgroups()
    shot, result = run(MEM + ["--duration", "8s"], line)
    stderr = assert_refused(shot, result, line, before)
    assert f"cannot read cgroup {path}" in stderr, stderr
