"""Fixtures: a fleet of real `stressd serve` agents, each in its own network
namespace behind a veth on a bridge, over TLS. Whatever happens, teardown
halts and SIGTERMs every agent, fails the test if anything of theirs is
left (harness.leftovers: an attack, a process, a ledger record, a cgroup, a
stopped process), and removes the namespaces and links."""
import os
import shutil
import sys
from pathlib import Path

import pytest

# tests/harness: the agent harness every Python suite shares
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.binary import stressd_bin  # noqa: E402
from hosts import Fleet, Network, have_root_netns, remove_stale  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _stale_network():
    removed = remove_stale()
    if removed:
        print(f"\nremoved stale namespaces/links of dead runs: {removed}")


@pytest.fixture(scope="session")
def binary():
    return stressd_bin()


@pytest.fixture(autouse=True)
def _fresh_run():
    """Each test begins a run of its own; its lease renewer ends with it."""
    import chaosstressd.run as run_mod

    run_mod.new_run()
    yield
    run_mod.current_run().stop_renewer()


class Fleets:
    def __init__(self, tmp_path_factory, binary):
        self.tmp, self.binary, self.made = tmp_path_factory, binary, []

    def make(self, n: int, namespaces: bool = True, special=None) -> Fleet:
        why = have_root_netns()
        if why and namespaces:
            pytest.skip(why)
        base = self.tmp.mktemp("fleet")
        os.chmod(base, 0o700)
        net = Network(n) if namespaces else None
        fleet = Fleet(base, self.binary, net)
        self.made.append(fleet)
        if net:
            net.create()
        fleet.start(n, special=special)
        return fleet

    def teardown(self):
        problems = []
        for fleet in self.made:
            mine = []
            try:
                mine += fleet.teardown()
            finally:
                if fleet.net:
                    mine += fleet.net.destroy()
            if not mine:
                shutil.rmtree(fleet.base, ignore_errors=True)
            problems += mine
        assert not problems, "\n".join(problems)


@pytest.fixture
def make_fleet(tmp_path_factory, binary):
    """make_fleet(n, namespaces=True, special={i: {...}}) -> Fleet, torn down
    after the test."""
    fleets = Fleets(tmp_path_factory, binary)
    yield fleets.make
    fleets.teardown()


@pytest.fixture(scope="module")
def module_fleets(tmp_path_factory, binary):
    """As make_fleet, shared by a module's tests, torn down after the last."""
    fleets = Fleets(tmp_path_factory, binary)
    yield fleets
    fleets.teardown()
