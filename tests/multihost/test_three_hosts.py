"""Three hosts (network namespaces on a bridge, TLS), one `chaos run` that
stresses a sample of two of them by percentage and seed: exactly the two the
seed picks are hit, the third is not, and all three end clean."""
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from chaosstressd.run import RUN_LABEL
from chaosstressd.selection import select_agents

CHAOS = str(Path(sys.executable).with_name("chaos"))


def pick(conf, percentage, seed):
    return [a.name for a in select_agents(conf, None, percentage=percentage, seed=seed)]


def chaos_run(tmp: Path, experiment: dict, timeout: int = 120):
    path = tmp / "experiment.json"
    path.write_text(json.dumps(experiment, indent=2))
    journal = tmp / "journal.json"
    t0 = time.monotonic()
    r = subprocess.run(
        [CHAOS, "--log-file", str(tmp / "chaos.log"), "run", "--rollback-strategy=always",
         "--journal-path", str(journal), str(path)],
        cwd=tmp, capture_output=True, text=True, timeout=timeout,
    )
    wall = time.monotonic() - t0
    assert journal.exists(), r.stdout + r.stderr
    return r, json.loads(journal.read_text()), wall


def test_chaos_run_hits_exactly_the_two_hosts_the_seed_picks(make_fleet, tmp_path):
    fleet = make_fleet(3)
    names = sorted(fleet.agents)
    # every agent is off loopback, in a namespace of its own, over TLS
    for a in fleet.agents.values():
        assert a.url.startswith("https://198.18.") and a.ns, a.url
        assert a.ns in os.listdir("/run/netns")
    run_id = uuid.uuid4().hex
    conf = fleet.configuration(stressd_run_id=run_id)

    # a seed whose pick is not simply the first two names, so a selection
    # that ignored the seed would show
    seed = next(s for s in range(1, 100) if pick(conf, 60, s) != names[:2])
    expected = pick(conf, 60, seed)
    assert expected == pick(conf, 60, seed), "the same seed must pick the same hosts"
    assert len(expected) == 2
    (spared,) = set(names) - set(expected)
    print(f"\nhosts {names}, seed {seed}, 60% -> {expected}; spared {spared}")

    experiment = {
        "version": "1.0.0",
        "title": "two of three hosts burn 10% of a core",
        "description": "multi-host: namespaces, TLS, percentage and seed",
        "configuration": conf,
        "controls": [{"name": "stressd",
                      "provider": {"type": "python", "module": "chaosstressd.control"}}],
        "method": [
            {"type": "action", "name": "burn", "pauses": {"after": 1.5},
             "provider": {"type": "python", "module": "chaosstressd.actions",
                          "func": "start_cpu",
                          "arguments": {"load": "10%", "cores": 1, "duration": "4s",
                                        "percentage": 60, "seed": seed}}},
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
    r, journal, wall = chaos_run(tmp_path, experiment)
    print(f"chaos run: {wall:.2f}s, status {journal['status']}")
    assert r.returncode == 0 and journal["status"] == "completed", r.stdout + r.stderr

    burn, running = journal["run"][0], journal["run"][1]
    assert burn["status"] == "succeeded", burn
    assert sorted(burn["output"]) == expected
    # while the method ran, each picked host ran one attack of this run
    assert {h: len(v) for h, v in running["output"].items() if v} == {h: 1 for h in expected}

    # through each agent: the run's label names exactly the picked hosts
    label = f"{RUN_LABEL}={run_id}"
    ids = {}
    for name, a in sorted(fleet.agents.items()):
        mine = a.attacks(label=label)
        everything = a.attacks()
        print(f"  {name} ({a.url}): {[(x['id'], x['state'], x.get('outcome')) for x in mine]}")
        if name in expected:
            assert len(mine) == 1 and len(everything) == 1, (name, everything)
            (x,) = mine
            assert x["state"] == "finished" and x["cleanupVerified"] is True, x
            assert x["outcome"]["status"] in ("stopped", "completed"), x
            assert x["labels"][RUN_LABEL] == run_id
            assert x["id"] == burn["output"][name]["id"]
            ids[name] = x["id"]
        else:
            assert mine == [] and everything == [], (name, everything)
            assert not [e for e in a.events() if e["msg"] == "attack started"]

    entry = next(e for e in journal["extensions"] if e["name"] == "chaosstressd")
    assert entry["run_id"] == run_id and entry["errors"] == [] and entry["nothing_left"] is True
    journaled = {h: [x["id"] for x in v["attacks"]] for h, v in entry["hosts"].items() if v["attacks"]}
    assert journaled == {h: [ids[h]] for h in expected}

    # all three clean: no running attack, no ledger record, no worker
    assert fleet.leftovers() == []
