"""Actions against real agents on loopback."""
import os
import subprocess
import time

import pytest
from chaoslib.exceptions import ActivityFailed

from chaosstressd import actions, probes
from chaosstressd.run import RUN_LABEL, current_run
from chaosstressd.selection import select_agents


def wait_for(predicate, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def finished(agent, attack_id):
    status, body = agent.api("GET", f"/v1/attacks/{attack_id}")
    assert status == 200, body
    return body if body["state"] == "finished" else None


def test_start_cpu_on_two_agents_then_stop(labelled):
    a1, a2 = labelled.start_labelled("a1", "a2")
    conf = labelled.configuration()
    started = actions.start_cpu(load="20%", cores=1, duration="30s", configuration=conf)
    assert sorted(started) == ["a1", "a2"]
    run = current_run()
    for name, agent in (("a1", a1), ("a2", a2)):
        info = started[name]
        assert info["id"].startswith("cpu-")
        assert info["accepted"]["kind"] == "cpu" and info["accepted"]["load"] == "20%"
        assert info["labels"][RUN_LABEL] == run.id
        status, body = agent.api("GET", f"/v1/attacks/{info['id']}")
        assert body["state"] == "running"
        assert body["spec"]["labels"][RUN_LABEL] == run.id
        assert 0 < body["leaseSecondsLeft"] <= 3
    assert run.renewing()

    reports = actions.stop_attacks(configuration=conf)
    assert sorted(reports) == ["a1", "a2"]
    for name, agent in (("a1", a1), ("a2", a2)):
        (report,) = reports[name]
        assert report["id"] == started[name]["id"]
        assert report["outcome"]["status"] == "stopped"
        assert report["cleanup"]["leftovers"] == []
        assert report["spec"]["labels"][RUN_LABEL] == run.id
        assert agent.running() == []
    assert probes.nothing_left(configuration=conf) is True


def test_start_is_all_or_nothing_when_an_agent_is_at_its_limit(labelled):
    a1, = labelled.start_labelled("a1")
    full, = labelled.start("full", max_attacks=1)
    # someone else's attack fills the second agent
    status, other = full.api("POST", "/v1/attacks", {"kind": "cpu", "load": "10%", "duration": "30s"})
    assert status == 201, other
    conf = labelled.configuration()
    with pytest.raises(ActivityFailed) as e:
        actions.start_cpu(load="10%", duration="30s", configuration=conf)
    msg = str(e.value)
    assert "agent 'full'" in msg and "HTTP 409" in msg, msg
    assert "agent 'a1'" not in msg.split("stopped again")[0], msg
    assert "stopped again" in msg and "a1 (cpu-" in msg, msg
    # the attack that did start on a1 was stopped; the other attack on 'full' is untouched
    assert a1.running() == []
    assert [a["id"] for a in full.running()] == [other["id"]]
    (mine,) = a1.attacks()
    assert mine["outcome"]["status"] == "stopped"


def test_a_bad_parameter_names_every_host_field_and_detail(labelled):
    labelled.start_labelled("a1", "a2")
    conf = labelled.configuration()
    with pytest.raises(ActivityFailed) as e:
        actions.start_attack("cpu", {"load": "150%"}, duration="5s", configuration=conf)
    msg = str(e.value)
    for host in ("a1", "a2"):
        assert f"agent '{host}'" in msg
    assert "HTTP 422" in msg and "(field 'load')" in msg and "150%" in msg, msg
    with pytest.raises(ActivityFailed, match=r"(?s)field 'bogus'.*field 'bogus'"):
        actions.start_attack("cpu", {"bogus": 1}, duration="5s", configuration=conf)
    for a in labelled.all.values():
        assert a.running() == []


def test_an_unreachable_agent_fails_the_start_and_the_rest_is_stopped(labelled):
    a1, = labelled.start_labelled("a1")
    conf = labelled.configuration()
    dead_port = labelled.all["a1"].port + 1
    conf["stressd_agents"]["gone"] = {"url": f"http://127.0.0.1:{dead_port}", "token_file": str(a1.token_file)}
    # make sure nothing listens there
    if subprocess.run(["ss", "-ltn", f"sport = :{dead_port}"], capture_output=True, text=True).stdout.count("LISTEN"):
        pytest.skip("port taken")
    with pytest.raises(ActivityFailed) as e:
        actions.start_cpu(load="10%", duration="20s", configuration=conf)
    msg = str(e.value)
    assert "agent 'gone'" in msg and "connection refused" in msg, msg
    assert "Traceback" not in msg
    assert a1.running() == []


def test_wrong_token_is_a_clear_failure(labelled):
    a1, = labelled.start_labelled("a1")
    conf = {"stressd_agents": {"a1": a1.url}}
    with pytest.raises(ActivityFailed) as e:
        actions.start_cpu(load="10%", duration="5s", configuration=conf,
                          secrets={"token": "not-the-token"})
    msg = str(e.value)
    assert "agent 'a1'" in msg and "HTTP 401" in msg and "refused the bearer token" in msg, msg
    with pytest.raises(ActivityFailed, match="HTTP 401"):
        probes.host_snapshot(configuration=conf, secrets={"stressd": {"token": "nope"}})
    assert a1.attacks() == []


def test_selection_by_count_and_percentage_with_seed_starts_the_predicted_agents(labelled):
    labelled.start_labelled("a1", "a2", "a3")
    conf = labelled.configuration()
    expected = [a.name for a in select_agents(conf, None, count=2, seed=11)]
    started = actions.start_cpu(load="10%", duration="20s", count=2, seed=11, configuration=conf)
    assert sorted(started) == expected
    for name, agent in labelled.all.items():
        assert len(agent.running()) == (1 if name in expected else 0)
    actions.stop_attacks(configuration=conf)
    expected = [a.name for a in select_agents(conf, None, percentage=34, seed=3)]
    assert len(expected) == 2
    started = actions.start_cpu(load="10%", duration="20s", percentage=34, seed=3, configuration=conf)
    assert sorted(started) == expected
    actions.stop_attacks(configuration=conf)
    for agent in labelled.all.values():
        assert agent.running() == []


def test_lease_renewal_keeps_an_attack_past_its_lease_and_expires_without_it(labelled):
    a1, = labelled.start_labelled("a1")
    conf = labelled.configuration(stressd_lease="2s")
    started = actions.start_cpu(load="10%", duration="30s", configuration=conf)
    attack_id = started["a1"]["id"]
    time.sleep(4.5)  # more than twice the lease
    status, body = a1.api("GET", f"/v1/attacks/{attack_id}")
    assert body["state"] == "running", body
    assert current_run().renewals >= 3
    out = actions.stop_lease_renewal(configuration=conf)
    assert [a["id"] for a in out["running"]] == [attack_id]
    assert not current_run().renewing()
    body = wait_for(lambda: finished(a1, attack_id), timeout=6)
    assert body, "the attack outlived its lease"
    outcome = body["report"]["outcome"]
    assert outcome["status"] == "stopped" and "lease" in outcome["reason"], outcome
    assert body["report"]["cleanup"]["leftovers"] == []


def test_memory_and_disk_attacks_are_small_and_cleaned_up(labelled):
    a1, = labelled.start_labelled("a1")
    conf = labelled.configuration()
    fill = labelled.fill_dir()
    mem = actions.start_memory(size="32M", duration="20s", configuration=conf)
    disk = actions.start_disk(path=str(fill), size="16M", duration="20s", configuration=conf)
    assert mem["a1"]["accepted"]["kind"] == "mem"
    assert disk["a1"]["accepted"]["path"] == str(fill)
    assert wait_for(lambda: list(fill.glob(".stressd-fill-*")), timeout=5)
    time.sleep(1.5)  # let the hog reach its size and the report sample it
    reports = actions.stop_attacks(configuration=conf)
    by_kind = {r["spec"]["kind"]: r for r in reports["a1"]}
    assert by_kind["mem"]["memory"]["peakHeldBytes"] > 0
    assert by_kind["disk"]["disk"]["filledBytes"] > 0
    for r in by_kind.values():
        assert r["cleanup"]["leftovers"] == []
    assert list(fill.glob(".stressd-fill-*")) == []


def test_an_io_load_reports_what_it_moved_and_is_cleaned_up(labelled):
    labelled.start_labelled("a1")
    conf = labelled.configuration()
    folder = labelled.fill_dir()
    out = actions.start_io(path=str(folder), read="50%", block_size="4K", size="8M", workers=2, iops=400,
                           duration="20s", configuration=conf)
    assert out["a1"]["accepted"]["kind"] == "io"
    assert out["a1"]["accepted"]["workers"] == "2"
    assert wait_for(lambda: list(folder.glob(".stressd-fill-io-*")), timeout=5)
    time.sleep(1.5)  # let the workers lay out and report
    report, = actions.stop_attacks(configuration=conf)["a1"]
    assert report["io"]["requestedOperationsPerSecond"] == 400
    assert report["io"]["readOperations"] > 0 and report["io"]["writeOperations"] > 0
    assert report["cleanup"]["leftovers"] == []
    assert list(folder.glob(".stressd-fill-*")) == []


def test_pause_and_kill_a_process_of_our_own(labelled):
    labelled.start_labelled("a1")
    conf = labelled.configuration()
    victim = subprocess.Popen(["sleep", "60"])
    try:
        actions.pause_processes(pid=victim.pid, duration="20s", configuration=conf)

        def state():
            with open(f"/proc/{victim.pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0]

        assert wait_for(lambda: state() == "T", timeout=3), state()
        actions.stop_attacks(configuration=conf)
        assert wait_for(lambda: state() == "S", timeout=3), state()
        out = actions.kill_processes(pid=victim.pid, signal="TERM", duration="2s", configuration=conf)
        assert out["a1"]["accepted"]["signal"] in ("TERM", "SIGTERM", "15")
        victim.wait(timeout=5)
        assert victim.returncode == -15
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait()


def test_halt_all_stops_everything_on_the_agents(labelled):
    a1, = labelled.start_labelled("a1")
    conf = labelled.configuration()
    status, other = a1.api("POST", "/v1/attacks", {"kind": "cpu", "load": "10%", "duration": "30s"})
    assert status == 201
    actions.start_cpu(load="10%", duration="30s", configuration=conf)
    out = actions.halt_all(configuration=conf)
    assert len(out["a1"]) == 2
    assert a1.running() == []
    assert current_run().list(running_only=True) == []


def test_an_agent_that_never_answers_is_named_with_a_timeout():
    import socket

    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        conf = {"stressd_agents": {"mute": {"url": f"http://127.0.0.1:{port}", "timeout": 1}}}
        t0 = time.monotonic()
        with pytest.raises(ActivityFailed) as e:
            probes.host_snapshot(configuration=conf, secrets={"token": "x"})
        assert time.monotonic() - t0 < 5
        msg = str(e.value)
        assert "agent 'mute'" in msg and "timed out" in msg, msg


def test_invalid_labels_and_parameters_are_refused_before_any_request():
    conf = {"stressd_agents": {"nowhere": "http://127.0.0.1:9"}}
    with pytest.raises(ActivityFailed, match="label key 'Bad Key'"):
        actions.start_cpu(labels={"Bad Key": "x"}, configuration=conf, secrets={"token": "x"})
    with pytest.raises(ActivityFailed, match="label value"):
        actions.start_cpu(labels={"team": "a b"}, configuration=conf, secrets={"token": "x"})
    with pytest.raises(ActivityFailed, match="set by the extension"):
        actions.start_cpu(labels={RUN_LABEL: "x"}, configuration=conf, secrets={"token": "x"})
    with pytest.raises(ActivityFailed, match="unknown attack kind 'net'"):
        actions.start_attack("net", {}, duration="1s", configuration=conf, secrets={"token": "x"})
    with pytest.raises(ActivityFailed, match="not a duration"):
        actions.start_cpu(lease="10", configuration=conf, secrets={"token": "x"})


def test_abort_conditions_pass_through_and_a_breach_stops_the_attack_on_the_agent(labelled):
    import socket
    a1, = labelled.start_labelled("a1")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    conf = dict(labelled.configuration(), stressd_abort_unless=[f"tcp 127.0.0.1:{port} every=200ms"])
    try:
        out = actions.start_cpu(load="10%", cores=1, duration="30s", configuration=conf,
                                abort_unless=[{"check": "pressure", "resource": "memory", "some": "99%"}])
        attack_id = out["a1"]["id"]
    finally:
        listener.close()
    body = wait_for(lambda: finished(a1, attack_id), timeout=5)
    assert body, "the agent did not stop the attack when its condition failed"
    status, report = a1.api("GET", f"/v1/reports/{attack_id}")
    assert status == 200, report
    assert report["outcome"]["status"] == "aborted"
    assert report["outcome"]["condition"] == f"tcp 127.0.0.1:{port} every=200ms"
    assert [t["condition"] for t in report["abortConditions"]] == [
        f"tcp 127.0.0.1:{port} every=200ms", "pressure memory some=99%"]
    assert report["cleanup"]["leftovers"] == []
    assert probes.nothing_left(configuration=conf) is True


def test_a_condition_that_fails_before_the_start_fails_the_action_and_starts_nothing(labelled):
    import socket
    a1, = labelled.start_labelled("a1")
    conf = labelled.configuration()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: refused
    with pytest.raises(ActivityFailed) as failed:
        actions.start_memory(size="8M", duration="30s", configuration=conf, abort_unless=[f"tcp 127.0.0.1:{port}"])
    assert "steady state" in str(failed.value) and f"tcp 127.0.0.1:{port}" in str(failed.value)
    assert a1.running() == []
    with pytest.raises(ActivityFailed, match="abort_unless takes a list"):
        actions.start_cpu(duration="5s", configuration=conf, abort_unless=[3])
