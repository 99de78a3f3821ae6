"""`chaos discover` lists every activity the extension exports."""
import json
import os
import subprocess
import sys
from pathlib import Path

import chaosstressd
from chaosstressd import actions, probes


def test_discover_function_lists_every_exported_activity():
    d = chaosstressd.discover(discover_system=False)
    assert d["extension"] == {"name": "chaostoolkit-stressd", "version": chaosstressd.__version__}
    names = {(a["type"], a["name"]) for a in d["activities"]}
    expected = {("action", n) for n in actions.__all__} | {("probe", n) for n in probes.__all__}
    assert names == expected
    for a in d["activities"]:
        assert a["doc"], f"{a['name']} has no docstring"
        arg_names = [x["name"] for x in a["arguments"]]
        assert "configuration" in arg_names and "secrets" in arg_names, a["name"]


def test_chaos_discover_no_install(tmp_path):
    chaos = Path(sys.executable).with_name("chaos")
    assert chaos.exists(), f"no chaos CLI beside {sys.executable} (run make venv)"
    r = subprocess.run(
        [str(chaos), "--log-file", str(tmp_path / "chaos.log"), "discover",
         "--no-install", "--discovery-path", str(tmp_path / "discovery.json"),
         "chaostoolkit-stressd"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    d = json.loads((tmp_path / "discovery.json").read_text())
    listed = sorted(a["name"] for a in d["activities"])
    assert listed == sorted(actions.__all__ + probes.__all__)
    assert {a["mod"] for a in d["activities"]} == {"chaosstressd.actions", "chaosstressd.probes"}


def test_the_readmes_experiment_is_valid(monkeypatch):
    """The README's example experiment, as Chaos Toolkit validates it before
    a run: every provider's module and function exist and take the
    arguments given (a renamed argument fails here, not for a reader)."""
    from chaoslib.experiment import ensure_experiment_is_valid

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    example = readme.split("## An experiment", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    experiment = json.loads(example)
    monkeypatch.setenv("STRESSD_TOKEN", "f" * 64)  # its secret, which validation reads
    ensure_experiment_is_valid(experiment)
    burn = experiment["method"][0]["provider"]["arguments"]
    assert burn["abort_unless"], "the example shows abort conditions"
