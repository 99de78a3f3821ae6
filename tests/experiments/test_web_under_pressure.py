"""The example experiment, run as it is (only the agents' addresses, the
web port and tiny loads come from a var file) with the real `chaos run
--rollback-strategy=always --journal-path ...`, and its journal checked."""
import json
import time

from conftest import EXAMPLE

MiB = 1024 * 1024


def by_name(entries, name):
    found = [e for e in entries if e.get("name") == name]
    assert len(found) == 1, [e.get("name") for e in entries]
    return found[0]


def test_example_completes_and_leaves_every_host_clean(lab):
    hosts = lab.start_hosts("local-1", "local-2")
    journal_path = lab.base / "journal.json"
    t0 = time.monotonic()
    chaos = lab.chaos_popen(EXAMPLE / "experiment.json", journal_path, "--rollback-strategy=always")
    rc = chaos.wait(timeout=60)
    took = time.monotonic() - t0
    out = lab.chaos_output(journal_path)
    assert journal_path.exists(), out
    journal = json.loads(journal_path.read_text())
    assert rc == 0, out
    assert journal["status"] == "completed", out
    assert took < 30, f"the example took {took:.1f}s"
    print(f"\nexample: chaos run took {took:.1f}s")

    # the steady state held before and after the method (while the pressure was on)
    ss = journal["steady_states"]
    assert ss["before"]["steady_state_met"] is True
    assert ss["after"]["steady_state_met"] is True
    for when in ("before", "after"):
        web = by_name([p["activity"] | {"status": p["status"], "output": p["output"]}
                       for p in ss[when]["probes"]], "the web service answers 200 within 1s")
        assert web["status"] == "succeeded" and web["output"]["status"] == 200

    # the method: both attacks started on both hosts, the service answered under pressure
    run = {r["activity"]["name"]: r for r in journal["run"]}
    mem = run["hold memory on every host"]
    cpu = run["burn CPU on every host"]
    for r in (mem, cpu):
        assert r["status"] == "succeeded", r
        assert sorted(r["output"]) == ["local-1", "local-2"]
    assert mem["output"]["local-1"]["accepted"]["size"] == str(32 * MiB)
    assert cpu["output"]["local-1"]["accepted"]["load"] == "20%"
    under = run["the web service answers under pressure"]
    assert under["status"] == "succeeded" and under["output"]["status"] == 200
    listed = run["the attacks of this run are running"]["output"]
    assert {h: len(v) for h, v in listed.items()} == {"local-1": 2, "local-2": 2}

    # the rollback ran and stopped the four attacks
    (rollback,) = journal["rollbacks"]
    assert rollback["activity"]["name"] == "stop every attack of this run"
    assert rollback["status"] == "succeeded"
    assert {h: len(v) for h, v in rollback["output"].items()} == {"local-1": 2, "local-2": 2}

    # the control's journal entry: every host's reports, nothing left
    entry = by_name(journal["extensions"], "chaosstressd")
    assert entry["errors"] == [] and entry["nothing_left"] is True
    assert sorted(entry["hosts"]) == ["local-1", "local-2"]
    for name, host in hosts_by_name(hosts).items():
        got = entry["hosts"][name]
        assert got["url"] == host.url
        ids = sorted(r["id"] for r in got["attacks"])
        assert ids == sorted([mem["output"][name]["id"], cpu["output"][name]["id"]])
        for r in got["attacks"]:
            assert r["outcome"]["status"] == "stopped", r["outcome"]
            assert r["cleanup"]["leftovers"] == []
            assert r["spec"]["labels"]["stressd.chaostoolkit/run"] == entry["run_id"]
            if r["spec"]["kind"] == "mem":
                assert r["memory"]["peakHeldBytes"] >= 32 * MiB
        # and the agent says the same of each
        for r in got["attacks"]:
            assert host.report(r["id"])["outcome"]["status"] == "stopped"

    # the web service ran for the whole experiment and is gone
    web = by_name(journal["extensions"], "web-service")
    assert web["port"] == lab.web_port and web["served"] >= 3
    assert lab.web_service_pids() == []

    # every host is clean: no running attack, no worker, no ledger record
    assert lab.clean() == []


def hosts_by_name(hosts):
    return {h.name: h for h in hosts}
