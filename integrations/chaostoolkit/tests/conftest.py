"""
Fixtures: real `stressd serve` agents on loopback (tests/harness), each with
its own token file (0600), state directory and config, started from
$STRESSD_BIN.

At teardown every agent is halted, checked for running attacks, sent
SIGTERM, and the test fails if anything of theirs is left
(harness.leftovers): a process it started (workers, watchdogs), a ledger
record, a cgroup, a process left stopped, a file in a fill folder.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import pytest

# tests/harness: the agent harness every Python suite shares
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tests"))
from harness.binary import stressd_bin  # noqa: E402
from harness.serve import ServeAgent  # noqa: E402
from harness.teardown import end  # noqa: E402
from harness.tmpfs import MountError, mount  # noqa: E402

# small floors, so a tiny tmpfs can be filled and its floor crossed
CONFIG = '[policy]\ndisk-floor = "1M"\nmax-duration = "5m"\n'


class Agents:
    """Starts agents for one test and checks, at the end, that nothing of
    theirs is left."""

    def __init__(self, base: Path):
        self.base = base
        self.binary = stressd_bin()
        self.all: Dict[str, ServeAgent] = {}
        self.fill_dirs: List[Path] = []
        self.mounts: List[Path] = []

    def start(self, *names: str, max_attacks: Optional[int] = None,
              token: Optional[str] = None) -> List[ServeAgent]:
        out = []
        for n in names:
            a = ServeAgent(self.binary, self.base / n, config=CONFIG, token=token,
                           args=[] if max_attacks is None else ["--max-attacks", str(max_attacks)])
            a.launch()
            self.all[n] = a
            out.append(a)
        return out

    def configuration(self, names=None, **extra) -> dict:
        names = names or list(self.all)
        conf = {
            "stressd_agents": {
                n: {"url": self.all[n].url, "token_file": str(self.all[n].token_file)}
                for n in names
            },
            "stressd_lease": "3s",
            "stressd_timeout": 10,
        }
        conf.update(extra)
        return conf

    def fill_dir(self, name: str = "fill") -> Path:
        d = self.base / name
        d.mkdir(exist_ok=True)
        self.fill_dirs.append(d)
        return d

    def tmpfs(self, name: str = "tmpfs", size: str = "64m") -> Path:
        d = self.base / name
        d.mkdir()
        try:
            mount(d, size, mode="0755")
        except MountError as e:
            pytest.skip(f"{e}: needs root")
        self.mounts.append(d)
        self.fill_dirs.append(d)
        return d

    def teardown(self) -> List[str]:
        try:
            return end(self.all.values(), self.fill_dirs, halt=True)
        finally:
            for d in self.mounts:
                subprocess.run(["umount", "-l", str(d)], capture_output=True)


_labels_supported: Optional[bool] = None


def labels_supported(agent: ServeAgent) -> bool:
    """Whether this agent takes `labels` (asked once per session: a request
    with a label and a bad load; an agent without labels names `labels`)."""
    global _labels_supported
    if _labels_supported is None:
        status, body = agent.api(
            "POST", "/v1/attacks",
            {"kind": "cpu", "load": "0%", "duration": "1s", "labels": {"probe": "x"}},
        )
        _labels_supported = not (isinstance(body, dict) and body.get("field") == "labels")
    return _labels_supported


@pytest.fixture
def agents(tmp_path_factory, request):
    base = tmp_path_factory.mktemp("agents")
    os.chmod(base, 0o700)
    import chaosstressd.run as run_mod

    run_mod.new_run()
    pool = Agents(base)
    yield pool
    run_mod.current_run().stop_renewer()
    problems = pool.teardown()
    assert not problems, "\n".join(problems)
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def labelled(agents):
    """Agents that take labels (every start sends one); an agent that does
    not fails the test with the reason, rather than every start failing."""

    def start(*names, **kw):
        started = agents.start(*names, **kw)
        if not labels_supported(started[0]):
            pytest.fail(
                f"{agents.binary} predates attack labels, which every attack "
                "of the extension carries: build stressd from this tree or set "
                "STRESSD_BIN to one that takes labels",
                pytrace=False,
            )
        return started

    agents.start_labelled = start
    return agents
