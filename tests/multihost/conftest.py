"""Fixtures: a fleet of real `stressd serve` agents, each in its own network
namespace behind a veth on a bridge, over TLS. Whatever happens, teardown
halts and SIGTERMs every agent, fails the test if any attack, ledger record
or process of theirs is left, and removes the namespaces and links."""
import os
import shutil

import pytest

from hosts import Fleet, Network, have_root_netns, remove_stale, stressd_bin


@pytest.fixture(scope="session", autouse=True)
def _stale_network():
    removed = remove_stale()
    if removed:
        print(f"\nremoved stale namespaces/links of dead runs: {removed}")


@pytest.fixture
def binary():
    b = stressd_bin()
    if not b:
        pytest.skip("no stressd binary: set STRESSD_BIN")
    return b


@pytest.fixture
def make_fleet(tmp_path_factory, binary):
    """make_fleet(n, namespaces=True, special={i: {...}}) -> Fleet."""
    made = []

    def make(n: int, namespaces: bool = True, special=None) -> Fleet:
        why = have_root_netns()
        if why and namespaces:
            pytest.skip(why)
        base = tmp_path_factory.mktemp("fleet")
        os.chmod(base, 0o700)
        net = Network(n) if namespaces else None
        fleet = Fleet(base, binary, net)
        made.append(fleet)
        if net:
            net.create()
        fleet.start(n, special=special)
        return fleet

    import chaosstressd.run as run_mod

    run_mod.new_run()
    yield make
    run_mod.current_run().stop_renewer()
    problems = []
    for fleet in made:
        try:
            problems += fleet.teardown()
        finally:
            if fleet.net:
                problems += fleet.net.destroy()
        if not problems:
            shutil.rmtree(fleet.base, ignore_errors=True)
    assert not problems, "\n".join(problems)
