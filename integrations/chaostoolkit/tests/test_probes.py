"""Probes return real values from real agents."""
import os
import time

import pytest
from chaoslib.exceptions import ActivityFailed

from chaosstressd import actions, probes
from chaosstressd.run import current_run

from test_actions import finished, wait_for


def meminfo_available() -> int:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no MemAvailable")


def test_host_probes(agents):
    agents.start("a1", "a2")
    conf = agents.configuration()
    snaps = probes.host_snapshot(configuration=conf)
    assert sorted(snaps) == ["a1", "a2"]
    assert snaps["a1"]["memory"]["totalBytes"] > 0
    avail = probes.memory_available_bytes(configuration=conf)
    assert abs(avail - meminfo_available()) < 0.25 * meminfo_available()
    busy = probes.cpu_busy_fraction(targets=["a2"], configuration=conf)
    assert 0.0 <= busy <= 1.0
    if os.path.exists("/proc/pressure/memory"):
        for resource in ("cpu", "memory", "io"):
            v = probes.pressure(resource=resource, configuration=conf)
            assert 0.0 <= v <= 100.0
    with pytest.raises(Exception, match="resource 'disk'"):
        probes.pressure(resource="disk", configuration=conf)


def test_attack_state_report_and_outcome(labelled):
    a1, = labelled.start_labelled("a1")
    conf = labelled.configuration()
    assert probes.nothing_left(configuration=conf) is True  # nothing started yet
    started = actions.start_cpu(load="30%", cores=1, duration="2s", configuration=conf)
    attack_id = started["a1"]["id"]
    state = probes.attack_state("a1", configuration=conf)  # the run's latest on a1
    assert state["id"] == attack_id and state["state"] == "running"
    assert probes.attack_outcome("a1", attack_id, configuration=conf) == "running"
    assert probes.nothing_left(configuration=conf) is False
    listed = probes.run_attacks(configuration=conf)
    assert [s["id"] for s in listed["a1"]] == [attack_id]
    assert wait_for(lambda: finished(a1, attack_id), timeout=8)
    assert probes.attack_outcome("a1", configuration=conf) == "completed"
    report = probes.attack_report("a1", configuration=conf)
    assert report["id"] == attack_id
    (worker,) = report["cpu"]["workers"]
    assert 0.15 <= worker["averageLoad"] <= 0.45, worker
    assert report["cleanup"]["leftovers"] == []
    assert probes.nothing_left(configuration=conf) is True
    assert probes.attacks_healthy(configuration=conf) is True
    # the run's lease renewer noticed the end
    assert wait_for(lambda: current_run().list(running_only=True) == [], timeout=3)


def test_safeguard_probe_trips_on_a_guard_trip(labelled):
    a1, = labelled.start_labelled("a1")
    conf = labelled.configuration()
    disk = labelled.tmpfs(size="64m")
    actions.start_disk(path=str(disk), size="8M", floor="16M", duration="30s", configuration=conf)
    assert probes.attacks_healthy(configuration=conf) is True
    # another writer takes the file system below the attack's floor, whether
    # the fill has written its 8M yet (64-8-52 = 4M free) or not (12M free)
    with open(disk / "other-writer", "wb") as f:
        f.write(b"\0" * (52 << 20))
    try:
        assert wait_for(lambda: probes.attacks_healthy(configuration=conf) is False, timeout=5)
        (summary,) = probes.run_attacks(configuration=conf)["a1"]
        assert summary["outcome"]["status"] == "guard-tripped"
        assert summary["outcome"]["guard"] == "disk-floor"
        # the trip was cleaned up: nothing of the run is left
        assert probes.nothing_left(configuration=conf) is True
        assert probes.attack_outcome("a1", configuration=conf) == "guard-tripped"
    finally:
        os.unlink(disk / "other-writer")


@pytest.mark.parametrize("stop_run", [True, False])
def test_safeguard_probe_stops_the_run_on_every_host_when_unhealthy(labelled, stop_run):
    """chaos may not act on the safeguard's interruption until its current
    pause ends: the probe that fails stops the run's other attacks itself,
    on every host, and the run starts nothing more (unless told not to)."""
    a1, a2 = labelled.start_labelled("a1", "a2")
    conf = labelled.configuration()
    disk = labelled.tmpfs(size="64m")
    actions.start_disk(path=str(disk), size="8M", floor="16M", duration="30s", targets=["a1"], configuration=conf)
    cpu = actions.start_cpu(load="10%", cores=1, duration="30s", targets=["a2"], configuration=conf)["a2"]["id"]
    with open(disk / "other-writer", "wb") as f:
        f.write(b"\0" * (52 << 20))
    try:
        assert wait_for(lambda: probes.attacks_healthy(stop_run=stop_run, configuration=conf) is False, timeout=5)
        if stop_run:
            assert wait_for(lambda: finished(a2, cpu), timeout=5), "the probe did not stop the cpu attack"
            assert finished(a2, cpu)["report"]["outcome"]["status"] == "stopped"
            assert wait_for(lambda: probes.nothing_left(configuration=conf) is True, timeout=5)
            with pytest.raises(ActivityFailed, match="this run is unhealthy .*disk-.* on a1 ended guard-tripped"):
                actions.start_cpu(load="10%", cores=1, duration="30s", configuration=conf)
            assert [s["id"] for s in probes.run_attacks(configuration=conf)["a2"]] == [cpu], "nothing started"
        else:
            time.sleep(0.5)
            assert finished(a2, cpu) is None  # still running: the control stops it at the end
            actions.stop_attacks(configuration=conf)
            assert finished(a2, cpu)["report"]["outcome"]["status"] == "stopped"
    finally:
        os.unlink(disk / "other-writer")


def test_a_start_the_run_turns_unhealthy_during_is_stopped_again(labelled, monkeypatch):
    """The probe's sweep may come before a start in flight exists on its
    agent: the start itself stops what it started once the run is unhealthy."""
    a1, = labelled.start_labelled("a1")
    conf = labelled.configuration()
    run = current_run()
    add = run.add

    def add_then_turn_unhealthy(attack):
        add(attack)
        run.mark_unhealthy("a test says so")

    monkeypatch.setattr(run, "add", add_then_turn_unhealthy)
    with pytest.raises(ActivityFailed, match=r"cpu attack is stopped again on a1 \(cpu-[0-9a-f]+\): this run is unhealthy \(a test says so\)"):
        actions.start_cpu(load="10%", cores=1, duration="30s", configuration=conf)
    (summary,) = probes.run_attacks(configuration=conf)["a1"]
    assert summary["state"] == "finished" and summary["outcome"]["status"] == "stopped", summary
    assert probes.nothing_left(configuration=conf) is True
