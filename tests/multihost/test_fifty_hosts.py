"""
Scale: the same fan-out over 50 agents, each in its own network namespace
over TLS on this one machine. Each attack is tiny (cpu 1% of one core, one
worker per agent). Measured and asserted:

- how long after the action was called each attack starts (each agent's
  own "attack started" log time, millisecond precision, against the call's
  time; the summaries' startedAt has whole seconds only); within 2 s is a
  test of its own;
- when one agent refuses, the call is undone (all-or-nothing): of the
  other 49, those whose start was sent before the refusal came back are
  stopped, the rest never get a start; how long after that refusal (the
  refusing agent's "attack refused" log time) each is stopped; within 2 s
  is a test of its own;
- when the control's after_experiment_control runs, all 50 stop, and how
  long after the call; within 2 s is a test of its own;
- one `chaos run` over the 50;
- memory: the agents' RSS summed, idle and under attack.

Figures are printed in a block (run with -s) and written to
$MULTIHOST_FIGURES (default /tmp/stressd-multihost-figures.json) as JSON.
"""
import json
import os
import re
import resource
import threading
import time
import uuid
from pathlib import Path

import pytest
from chaoslib.exceptions import ActivityFailed

from chaosstressd import actions, control
from chaosstressd.agents import DEFAULT_MAX_WORKERS
from chaosstressd.run import RUN_LABEL, current_run
from harness.leftovers import processes
from hosts import percentiles, rss_kib
from test_three_hosts import chaos_run

N = 50
REFUSER = "h00"  # first in name order: its refusal comes first, the other 49 still start after it
BOUND = 2.0
FIGURES = {}
STOP_AFTER_REFUSAL = {}
STOP_AFTER_CONTROL = {}
START_AFTER_CALL = {}


@pytest.fixture(scope="module")
def fleet(module_fleets):
    t0 = time.monotonic()
    # the refuser's policy takes nothing longer than 10s: a 30s attack is
    # refused there (422) and nowhere else
    f = module_fleets.make(N, special={0: {"max_duration": "10s"}})
    FIGURES["setup_s"] = round(time.monotonic() - t0, 2)
    time.sleep(0.5)
    FIGURES["agents_rss_idle_mib"] = round(f.rss_kib() / 1024, 1)
    yield f
    report()


def cpu_s():
    """This process's CPU time (user + system), seconds: the orchestrator's cost."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def report():
    path = Path(os.environ.get("MULTIHOST_FIGURES") or "/tmp/stressd-multihost-figures.json")
    path.write_text(json.dumps(FIGURES, indent=2, sort_keys=True))
    lines = [f"\n== {N} agents (network namespaces, TLS) — figures, also in {path}"]
    for k in sorted(FIGURES):
        lines.append(f"  {k}: {FIGURES[k]}")
    print("\n".join(lines))


def events(fleet, msg, since):
    """{agent name: [event]} of log lines `msg` at or after `since`."""
    return {n: [e for e in a.events() if e["msg"] == msg and e["ts"] >= since - 0.001]
            for n, a in fleet.agents.items()}


def fmt(stats):
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in stats.items()}


def started_latencies(fleet, ids, t_call):
    """Each attack's start, by its agent's log, less the action's call time."""
    started = events(fleet, "attack started", t_call)
    out = {}
    for name, attack_id in ids.items():
        ts = [e["ts"] for e in started[name] if e.get("attack_id") == attack_id]
        assert len(ts) == 1, (name, attack_id, started[name])
        out[name] = ts[0] - t_call
    return out


def ended_at(fleet, ids, since):
    ended = events(fleet, "attack ended", since)
    out = {}
    for name, attack_id in ids.items():
        es = [e for e in ended[name] if e.get("attack_id") == attack_id]
        assert len(es) == 1, (name, attack_id, ended[name])
        out[name] = es[0]
    return out


def run_ids(fleet, label):
    """{agent: attack id} of the attacks carrying `label`, as each agent lists them."""
    out = {}
    for name, a in fleet.agents.items():
        mine = a.attacks(label=label)
        assert len(mine) <= 1, (name, mine)
        if mine:
            out[name] = mine[0]["id"]
    return out


def test_one_refusal_undoes_the_call_on_the_other_49(fleet):
    conf = fleet.configuration()
    run = current_run()
    t_call = time.time()
    t0, c0 = time.monotonic(), cpu_s()
    with pytest.raises(ActivityFailed) as x:
        actions.start_cpu(load="1%", cores=1, duration="30s", configuration=conf)
    wall, cpu = time.monotonic() - t0, cpu_s() - c0
    t_return = time.time()
    msg = str(x.value)
    assert f"agent '{REFUSER}'" in msg and "failed on 1 agent(s)" in msg, msg
    assert "stopped again, so nothing of this call runs" in msg, msg
    stopped_again = dict(re.findall(r"(h\d\d) \((cpu-[0-9a-f]+)\)",
                                    msg.split("stopped again", 1)[1].split("\n")[0]))
    m = re.search(r"not sent, as an agent had refused already: (\d+) agent\(s\): (.*)", msg)
    not_sent = m.group(2).split(", ") if m else []
    assert m is None or int(m.group(1)) == len(not_sent), msg

    (refusal,) = [e for e in events(fleet, "attack refused", t_call)[REFUSER]]
    t_refused = refusal["ts"]
    ids = run_ids(fleet, f"{RUN_LABEL}={run.id}")
    # every other agent either got a start (and it was stopped again) or
    # none was sent to it
    assert ids == stopped_again, (ids, msg)
    assert sorted(list(ids) + not_sent + [REFUSER]) == sorted(fleet.agents), (ids, not_sent)
    for name in not_sent:
        assert [e for e in fleet.agents[name].events()
                if e["ts"] >= t_call and e["msg"] in ("attack started", "attack refused")] == []
    start = started_latencies(fleet, ids, t_call)
    ended = ended_at(fleet, ids, t_call)
    stop = {n: e["ts"] - t_refused for n, e in ended.items()}
    outcomes = {e.get("outcome") for e in ended.values()}

    FIGURES["refusal_action_wall_s"] = round(wall, 3)
    FIGURES["refusal_action_orchestrator_cpu_s"] = round(cpu, 3)
    FIGURES["refusal_last_start_after_call_s"] = round(max(start.values()), 3)
    FIGURES["refusal_first_stop_after_call_s"] = round(
        min(e["ts"] for e in ended.values()) - t_call, 3)
    FIGURES["refusal_after_call_s"] = round(t_refused - t_call, 3)
    FIGURES["refusal_start_latency_s"] = fmt(percentiles(list(start.values())))
    FIGURES["refusal_stop_after_refusal_s"] = fmt(percentiles(list(stop.values())))
    FIGURES["refusal_last_stop_before_action_returned_s"] = round(
        t_return - max(e["ts"] for e in ended.values()), 3)
    FIGURES["refusal_max_workers"] = DEFAULT_MAX_WORKERS
    FIGURES["refusal_started_then_stopped"] = len(ids)
    FIGURES["refusal_not_sent"] = len(not_sent)

    STOP_AFTER_REFUSAL.update(stop)
    assert outcomes == {"stopped"}, outcomes
    assert fleet.leftovers() == []


def test_the_started_stop_within_2s_of_the_refusal(fleet):
    """Measured on this shared 2-core machine (3 runs, others building
    beside it): the last stop 0.92-1.18 s after the refusal; before the
    undo acted at the first refusal, 1.8-5.0 s."""
    if not STOP_AFTER_REFUSAL:
        pytest.skip("the refusal test did not run")
    worst = max(STOP_AFTER_REFUSAL.items(), key=lambda kv: kv[1])
    print(f"\nstops after the refusal: {fmt(percentiles(list(STOP_AFTER_REFUSAL.values())))}")
    assert worst[1] < BOUND, f"{worst[0]} stopped {worst[1]:.3f}s after the refusal"


def test_control_stops_all_50(fleet, tmp_path):
    conf = fleet.configuration()
    control.before_experiment_control(context={}, configuration=conf)
    run = current_run()
    t_call = time.time()
    t0, c0 = time.monotonic(), cpu_s()
    started = actions.start_cpu(load="1%", cores=1, duration="10s", configuration=conf)
    wall, start_cpu = time.monotonic() - t0, cpu_s() - c0
    assert sorted(started) == sorted(fleet.agents)
    ids = {h: v["id"] for h, v in started.items()}
    start = started_latencies(fleet, ids, t_call)

    # under attack: agents' and workers' memory, this process's threads
    time.sleep(1.5)
    procs = processes(fleet.agents.values())
    # Each attack has a worker and its cleanup watchdog.
    workers = [int(p.split(":")[0]) for ps in procs.values() for p in ps if " worker " in p]
    watchdogs = [p for ps in procs.values() for p in ps if " watchdog " in p]
    FIGURES["attack_watchdogs"] = len(watchdogs)
    FIGURES["attack_agents_rss_mib"] = round(fleet.rss_kib() / 1024, 1)
    FIGURES["attack_workers"] = len(workers)
    FIGURES["attack_workers_rss_mib"] = round(sum(rss_kib(p) for p in workers) / 1024, 1)
    FIGURES["orchestrator_threads_during_attack"] = threading.active_count()
    renewals_before = run.renewals
    time.sleep(1.0)
    FIGURES["lease_renewals_per_s_lease_3s"] = run.renewals - renewals_before
    assert len(workers) == N and len(watchdogs) == N, procs

    journal = {}
    t_ctrl = time.time()
    t1, c1 = time.monotonic(), cpu_s()
    # its page too, as in a real run, but in the test's folder, not the current one
    control.after_experiment_control(context={}, state=journal, configuration=conf, report_page=str(tmp_path / "run.html"))
    ctrl_wall, ctrl_cpu = time.monotonic() - t1, cpu_s() - c1
    ended = ended_at(fleet, ids, t_call)
    stop = {n: e["ts"] - t_ctrl for n, e in ended.items()}
    (entry,) = journal["extensions"]

    FIGURES["start_action_wall_s"] = round(wall, 3)
    FIGURES["start_action_orchestrator_cpu_s"] = round(start_cpu, 3)
    FIGURES["control_orchestrator_cpu_s"] = round(ctrl_cpu, 3)
    FIGURES["start_latency_s"] = fmt(percentiles(list(start.values())))
    FIGURES["control_wall_s"] = round(ctrl_wall, 3)
    FIGURES["control_stop_latency_s"] = fmt(percentiles(list(stop.values())))
    FIGURES["orchestrator_max_rss_mib"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    assert {e.get("outcome") for e in ended.values()} == {"stopped"}
    assert entry["errors"] == [] and entry["nothing_left"] is True, entry["errors"]
    assert sum(len(v["attacks"]) for v in entry["hosts"].values()) == N
    START_AFTER_CALL.update(start)
    STOP_AFTER_CONTROL.update(stop)
    assert fleet.leftovers() == []


def test_all_50_start_within_2s_of_the_call(fleet):
    """Measured (3 runs): the last start 1.16-1.39 s after the call; before
    (a new TLS connection per request), 1.3-2.5 s."""
    if not START_AFTER_CALL:
        pytest.skip("the control test did not run")
    worst = max(START_AFTER_CALL.items(), key=lambda kv: kv[1])
    print(f"\nstarts after the call: {fmt(percentiles(list(START_AFTER_CALL.values())))}")
    assert worst[1] < BOUND, f"{worst[0]} started {worst[1]:.3f}s after the action was called"


def test_all_50_stop_within_2s_of_the_control(fleet):
    """Measured (3 runs): the last stop 1.44-1.81 s after the control was
    called (one label-scoped DELETE per agent on kept-alive connections,
    16 at a time; most of it is the agents' own stops); before (DELETE by
    id, then GET for strays, a new TLS connection each), 2.0-3.1 s."""
    if not STOP_AFTER_CONTROL:
        pytest.skip("the control test did not run")
    worst = max(STOP_AFTER_CONTROL.items(), key=lambda kv: kv[1])
    print(f"\nstops after the control: {fmt(percentiles(list(STOP_AFTER_CONTROL.values())))}")
    assert worst[1] < BOUND, f"{worst[0]} stopped {worst[1]:.3f}s after the control was called"


def test_chaos_run_over_50(fleet, tmp_path):
    run_id = uuid.uuid4().hex
    # The default lease: a 3 s one can lapse while 50 agents and their 100
    # processes start at once on 2 cores (seen once in CI, lease expired 3 s in).
    conf = fleet.configuration(stressd_run_id=run_id, stressd_lease="10s")
    experiment = {
        "version": "1.0.0",
        "title": f"all {N} hosts burn 1% of a core",
        "description": "scale: one fan-out over every agent",
        "configuration": conf,
        "controls": [{"name": "stressd",
                      "provider": {"type": "python", "module": "chaosstressd.control"}}],
        "method": [
            {"type": "action", "name": "burn", "pauses": {"after": 2},
             "provider": {"type": "python", "module": "chaosstressd.actions",
                          "func": "start_cpu",
                          "arguments": {"load": "1%", "cores": 1, "duration": "10s"}}},
            {"type": "probe", "name": "running",
             "provider": {"type": "python", "module": "chaosstressd.probes",
                          "func": "run_attacks", "arguments": {"state": "running"}}},
        ],
        "rollbacks": [
            {"type": "action", "name": "stop",
             "provider": {"type": "python", "module": "chaosstressd.actions",
                          "func": "stop_attacks"}},
        ],
    }
    t_begin = time.time()
    r, journal, wall = chaos_run(tmp_path, experiment)
    FIGURES["chaos_run_wall_s"] = round(wall, 2)
    assert r.returncode == 0 and journal["status"] == "completed", r.stdout[-3000:] + r.stderr[-3000:]
    burn, running, stop = journal["run"][0], journal["run"][1], journal["rollbacks"][0]
    FIGURES["chaos_run_burn_action_s"] = round(burn["duration"], 3)
    FIGURES["chaos_run_rollback_stop_s"] = round(stop["duration"], 3)
    assert sorted(burn["output"]) == sorted(fleet.agents)
    ids = run_ids(fleet, f"{RUN_LABEL}={run_id}")
    not_running = {h for h, v in running["output"].items() if len(v) != 1}
    assert not not_running, {h: (running["output"][h], ended_at(fleet, {h: ids.get(h)}, t_begin)) for h in not_running}
    assert ids == {h: v["id"] for h, v in burn["output"].items()}
    ended = ended_at(fleet, ids, t_begin)
    assert {e.get("outcome") for e in ended.values()} == {"stopped"}
    entry = next(e for e in journal["extensions"] if e["name"] == "chaosstressd")
    assert entry["errors"] == [] and entry["nothing_left"] is True
    assert fleet.leftovers() == []
