"""The control: stop everything, stop the renewer, reports into the journal;
and whole experiments under the `chaos` CLI."""
import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from chaosstressd import actions, control
from chaosstressd.run import RUN_LABEL, current_run


def charts_on(page: str) -> dict:
    """Each chart's SVG on the page, by the attack id in its alt text."""
    return {m[1]: base64.b64decode(m[2]).decode()
            for m in re.finditer(r'<img alt="chart of ([^"]+)" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">', page)}


def test_after_experiment_control_stops_everything_and_journals_reports(labelled, tmp_path):
    a1, a2 = labelled.start_labelled("a1", "a2")
    conf = labelled.configuration()
    control.before_experiment_control(context={}, configuration=conf)
    run = current_run()
    started = actions.start_cpu(load="10%", duration="30s", configuration=conf)
    done = actions.start_cpu(load="10%", duration="1s", targets=["a2"], configuration=conf)
    journal = {"status": "completed", "extensions": [{"name": "other"}]}
    page = tmp_path / "run.html"
    control.after_experiment_control(
        context={"title": "burn <two> hosts"}, state=journal, configuration=conf, secrets=None, report_page=str(page))
    assert a1.running() == [] and a2.running() == []
    assert not run.renewing()
    names = [e["name"] for e in journal["extensions"]]
    assert names == ["other", "chaosstressd"]
    entry = journal["extensions"][1]
    assert entry["run_id"] == run.id and entry["label"] == f"{RUN_LABEL}={run.id}"
    assert entry["errors"] == [] and entry["nothing_left"] is True
    assert sorted(entry["hosts"]) == ["a1", "a2"]
    assert entry["hosts"]["a1"]["url"] == a1.url
    ids = {h: sorted(r["id"] for r in v["attacks"]) for h, v in entry["hosts"].items()}
    assert ids == {
        "a1": [started["a1"]["id"]],
        "a2": sorted([started["a2"]["id"], done["a2"]["id"]]),
    }
    for v in entry["hosts"].values():
        for r in v["attacks"]:
            assert r["cleanup"]["leftovers"] == []
            assert r["outcome"]["status"] in ("stopped", "completed")
    json.dumps(journal)  # the journal stays serialisable
    # The run's page: each host's attacks, each with the agent's own chart.
    assert entry["page"] == str(page)
    text = page.read_text()
    assert "<h1>burn &lt;two&gt; hosts</h1>" in text and "Nothing left behind on any host." in text
    charts = charts_on(text)
    assert sorted(charts) == sorted(i for v in ids.values() for i in v)
    for attack_id, svg in charts.items():
        assert svg.startswith("<?xml") and f"attack {attack_id}</text>" in svg
        assert f"<code>{attack_id}</code> (cpu)" in text
    # A second run never overwrites the page.
    control.before_experiment_control(context={}, configuration=conf)
    again = {}
    control.after_experiment_control(context={}, state=again, configuration=conf, report_page=str(page))
    (entry,) = again["extensions"]
    assert entry["page"] is None and any("was not written" in e for e in entry["errors"]), entry["errors"]


def test_after_experiment_control_never_raises_and_names_an_unreachable_agent(labelled):
    a1, = labelled.start_labelled("a1")
    conf = labelled.configuration()
    control.before_experiment_control(context={}, configuration=conf)
    actions.start_cpu(load="10%", duration="30s", configuration=conf)
    conf["stressd_agents"]["gone"] = {"url": "http://127.0.0.1:9", "token_file": str(a1.token_file)}
    journal = {}
    control.after_experiment_control(context={}, state=journal, configuration=conf, report_page=False)
    (entry,) = journal["extensions"]
    assert "page" not in entry
    assert any("agent 'gone'" in e and "connection refused" in e for e in entry["errors"]), entry["errors"]
    assert entry["nothing_left"] is False
    assert len(entry["hosts"]["a1"]["attacks"]) == 1
    assert a1.running() == []


def chaos_run(tmp_path: Path, experiment: dict, env: dict, timeout: int = 90):
    chaos = Path(sys.executable).with_name("chaos")
    path = tmp_path / "experiment.json"
    path.write_text(json.dumps(experiment, indent=2))
    journal = tmp_path / "journal.json"
    r = subprocess.run(
        [str(chaos), "--log-file", str(tmp_path / "chaos.log"), "run",
         "--rollback-strategy=always", "--journal-path", str(journal), str(path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **env},
    )
    assert journal.exists(), r.stdout + r.stderr
    return r, json.loads(journal.read_text())


def py(name, func, arguments=None, kind="action", **extra):
    activity = {
        "type": kind,
        "name": name,
        "provider": {
            "type": "python",
            "module": f"chaosstressd.{'actions' if kind == 'action' else 'probes'}",
            "func": func,
            "secrets": ["stressd"],
            "arguments": arguments or {},
        },
    }
    activity.update(extra)
    return activity


def experiment_for(labelled, method, hypothesis_probes=(), controls=()):
    return {
        "version": "1.0.0",
        "title": "stressd under chaos",
        "description": "test",
        "configuration": {
            "stressd_agents": {n: a.url for n, a in labelled.all.items()},
            "stressd_lease": "3s",
        },
        "secrets": {"stressd": {"token": {"type": "env", "key": "STRESSD_TEST_TOKEN"}}},
        "controls": [
            {"name": "stressd", "provider": {"type": "python", "module": "chaosstressd.control"}},
            *controls,
        ],
        "steady-state-hypothesis": {
            "title": "nothing of this run is unhealthy",
            "probes": [
                py("healthy", "attacks_healthy", kind="probe", tolerance=True),
                *hypothesis_probes,
            ],
        },
        "method": method,
        "rollbacks": [py("stop", "stop_attacks")],
    }


def test_chaos_run_experiment_journal_has_the_reports(labelled, tmp_path):
    token = "t" * 64
    a1, a2 = labelled.start_labelled("a1", "a2", token=token)
    exp = experiment_for(labelled, [
        py("burn", "start_cpu", {"load": "10%", "duration": "30s"}, pauses={"after": 2}),
        py("still running", "run_attacks", {"state": "running"}, kind="probe"),
    ])
    r, journal = chaos_run(tmp_path, exp, {"STRESSD_TEST_TOKEN": token})
    assert r.returncode == 0, r.stdout + r.stderr
    assert journal["status"] == "completed", journal["status"]
    burn = journal["run"][0]
    assert burn["status"] == "succeeded" and sorted(burn["output"]) == ["a1", "a2"]
    running = journal["run"][1]["output"]
    assert {h: len(v) for h, v in running.items()} == {"a1": 1, "a2": 1}
    (entry,) = [e for e in journal.get("extensions", []) if e["name"] == "chaosstressd"]
    assert entry["nothing_left"] is True and entry["errors"] == []
    for host in ("a1", "a2"):
        (report,) = entry["hosts"][host]["attacks"]
        assert report["id"] == burn["output"][host]["id"]
        assert report["outcome"]["status"] == "stopped"
        assert report["spec"]["labels"][RUN_LABEL] == entry["run_id"]
    assert a1.running() == [] and a2.running() == []
    # Beside the journal, the run's page with each host's chart.
    assert entry["page"] == f"stressd-run-{entry['run_id']}.html"
    page = (tmp_path / entry["page"]).read_text()
    assert "<h1>stressd under chaos</h1>" in page and "Experiment completed." in page
    assert sorted(charts_on(page)) == sorted(burn["output"][h]["id"] for h in ("a1", "a2"))


def test_chaos_run_safeguard_interrupts_on_a_guard_trip(labelled, tmp_path):
    token = "s" * 64
    a1, = labelled.start_labelled("a1", token=token)
    disk = labelled.tmpfs(size="64m")
    other = disk / "other-writer"
    safeguard = {
        "name": "safeguards",
        "provider": {
            "type": "python",
            "module": "chaosaddons.controls.safeguards",
            "arguments": {"probes": [
                py("stressd attacks healthy", "attacks_healthy", kind="probe",
                   tolerance=True, frequency=0.5),
            ]},
        },
    }
    exp = experiment_for(labelled, [
        py("fill", "start_disk", {"path": str(disk), "size": "8M", "floor": "16M", "duration": "30s"},
           pauses={"after": 1}),
        {
            "type": "action",
            "name": "another writer crosses the floor",
            "provider": {"type": "process", "path": "dd",
                         "arguments": f"if=/dev/zero of={other} bs=1M count=52 status=none"},
            "pauses": {"after": 8},
        },
    ], controls=[safeguard])
    try:
        r, journal = chaos_run(tmp_path, exp, {"STRESSD_TEST_TOKEN": token})
    finally:
        if other.exists():
            other.unlink()
    assert journal["status"] == "interrupted", (journal["status"], r.stdout[-2000:], r.stderr[-2000:])
    (entry,) = [e for e in journal.get("extensions", []) if e["name"] == "chaosstressd"]
    (report,) = entry["hosts"]["a1"]["attacks"]
    assert report["outcome"]["status"] == "guard-tripped"
    assert report["outcome"]["guard"] == "disk-floor"
    page = (tmp_path / entry["page"]).read_text()
    assert '<span class="bad">guard-tripped</span>' in page
    assert ">guard disk-floor</text>" in charts_on(page)[report["id"]], "the chart marks what ended the attack"
    assert report["cleanup"]["leftovers"] == []
    assert a1.running() == []
