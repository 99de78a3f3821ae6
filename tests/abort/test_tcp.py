"""
`tcp` conditions against a socket the test holds: closing it mid-attack
aborts the attack (a memory attack here, so that an abort undoes a hog as
well as CPU workers) within a probe interval; an address nobody listens on
refuses the attack before anything is created.
"""
import time

from attacks import BOUND, CPU, MEM, aborted_by, assert_clean, assert_refused, evaluations, stressd_cgroups

EVERY = 0.2
SLACK = 0.25


def test_closed_listener_mid_attack_aborts_it(listener, oneshot):
    line = f"tcp 127.0.0.1:{listener.port} every=200ms"
    shot = oneshot(MEM + BOUND, line)  # a memory hog: its own cgroup and process to undo
    shot.wait_started()
    time.sleep(0.8)
    broke = shot.since_spawn(listener.close())
    result = shot.finish()

    outcome = aborted_by(result, line)
    evs = evaluations(result.report, line)
    assert len(evs) >= 3 and all(e["passed"] for e in evs[:-1]), evs
    assert not evs[-1]["passed"] and "refused" in evs[-1]["detail"], evs[-1]
    assert "refused" in outcome["reason"], outcome
    assert evs[-1]["elapsed"] <= broke + EVERY + SLACK, (evs[-1], broke)
    assert_clean(shot, result)


def test_nobody_listening_refuses_it(closed_port, run):
    line = f"tcp 127.0.0.1:{closed_port}"
    before = stressd_cgroups()
    shot, result = run(CPU + BOUND, line)
    stderr = assert_refused(shot, result, line, before)
    assert "did not answer: Connection refused" in stderr, stderr


def test_config_policy_applies_to_a_one_shot(tmp_path, listener, closed_port, run, oneshot):
    """`[policy] abort-unless` in `--config FILE` holds for local attacks as
    for the agent's: refused when it fails now; aborted, with source
    `policy`, when it breaks; the request's own conditions beside it."""
    def config(port):
        path = tmp_path / f"policy-{port}.toml"
        path.write_text(f'[policy]\nabort-unless = ["tcp 127.0.0.1:{port} every=200ms"]\n')
        return ["--config", str(path)]

    before = stressd_cgroups()
    shot, result = run(CPU + BOUND + config(closed_port))
    assert_refused(shot, result, f"tcp 127.0.0.1:{closed_port} every=200ms", before)

    line = f"tcp 127.0.0.1:{listener.port} every=200ms"
    own = "pressure memory some=99%"
    shot = oneshot(CPU + BOUND + config(listener.port), own)
    shot.wait_started()
    time.sleep(0.8)
    listener.close()
    result = shot.finish()
    aborted_by(result, line)
    sources = {c["condition"]: c["source"] for c in result.report["abortConditions"]}
    assert sources == {line: "policy", own: "request"}, sources
    assert_clean(shot, result)
