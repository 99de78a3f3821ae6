"""The blast radius: targets, count, percentage and seed (no agent needed)."""
import pytest
from chaoslib.exceptions import ActivityFailed

from chaosstressd.selection import select_agents

SECRETS = {"stressd": {"token": "t"}}


def conf(n):
    return {"stressd_agents": {f"h{i}": f"http://127.0.0.1:{7000 + i}" for i in range(n)}}


def names(agents):
    return [a.name for a in agents]


def test_default_is_every_agent_in_name_order():
    assert names(select_agents(conf(3), SECRETS)) == ["h0", "h1", "h2"]


def test_count_with_seed_is_deterministic_and_within_targets():
    picks = {tuple(names(select_agents(conf(10), SECRETS, count=3, seed=42))) for _ in range(5)}
    assert len(picks) == 1
    (pick,) = picks
    assert len(pick) == 3
    other = names(select_agents(conf(10), SECRETS, count=3, seed=43))
    assert len(other) == 3
    within = names(select_agents(conf(10), SECRETS, targets=["h1", "h2", "h3", "h4"], count=2, seed=1))
    assert set(within) <= {"h1", "h2", "h3", "h4"} and len(within) == 2
    assert within == names(select_agents(conf(10), SECRETS, targets=["h4", "h3", "h2", "h1"], count=2, seed=1))


def test_percentage_rounds_up_and_is_deterministic():
    a = names(select_agents(conf(10), SECRETS, percentage=25, seed=7))
    assert len(a) == 3  # ceil(2.5)
    assert a == names(select_agents(conf(10), SECRETS, percentage="25%", seed=7))
    assert len(select_agents(conf(3), SECRETS, percentage=1)) == 1
    assert len(select_agents(conf(3), SECRETS, percentage=100)) == 3


def test_bad_selections_are_refused_clearly():
    with pytest.raises(ActivityFailed, match="unknown stressd agent.*'nope'"):
        select_agents(conf(2), SECRETS, targets=["nope"])
    with pytest.raises(ActivityFailed, match="count 3 is out of range"):
        select_agents(conf(2), SECRETS, count=3)
    with pytest.raises(ActivityFailed, match="either count or percentage"):
        select_agents(conf(2), SECRETS, count=1, percentage=50)
    with pytest.raises(ActivityFailed, match="percentage 0 is out of range"):
        select_agents(conf(2), SECRETS, percentage=0)


def test_configuration_errors_are_clear(tmp_path):
    with pytest.raises(ActivityFailed, match="no stressd agents configured"):
        select_agents({}, SECRETS)
    with pytest.raises(ActivityFailed, match="no token"):
        select_agents(conf(1), None)
    with pytest.raises(ActivityFailed, match="not loopback"):
        select_agents({"stressd_agents": {"far": "http://192.0.2.1:7070"}}, SECRETS)
    loose = tmp_path / "tok"
    loose.write_text("abc")
    loose.chmod(0o644)
    with pytest.raises(ActivityFailed, match="may be read by others"):
        select_agents({**conf(1), "stressd_token_file": str(loose)}, None)
    # URL shorthand without scheme or port, https and per-agent secret tokens
    c = {"stressd_agents": {"a": "127.0.0.1", "b": {"url": "https://10.0.0.2:7443", "ca": "/ca.pem"}}}
    got = select_agents(c, {"token": "shared", "tokens": {"b": "own"}})
    assert [(a.name, a.url, a.token) for a in got] == [
        ("a", "http://127.0.0.1:7070", "shared"),
        ("b", "https://10.0.0.2:7443", "own"),
    ]
    assert got[1].verify == "/ca.pem"
