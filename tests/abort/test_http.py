"""
`http` conditions against a real service (service.py) that the test breaks
while a short CPU attack runs: it answers 500, answers too slowly, or dies.
Each time the attack must end as `aborted`, naming the condition and what
was seen, within one probe interval of the break (`every` + 250 ms, timed
from the evaluations' `elapsed`), and leave nothing behind. `misses=2`
needs two failures in a row: one failure alone lets the attack run on. An
attack that breaks the service itself (a pause of its process) is aborted
and the service resumed; a probe hung in a long timeout does not hold an
attack past its end. A service broken before the start, or one that cannot
be reached, refuses the attack (exit 2) at once and nothing is created.
"""
import time
import urllib.request

import pytest

from attacks import (BOUND, CPU, aborted_by, assert_clean, assert_refused, ended_at, evaluations, stressd_cgroups,
                     why)
from harness import procs
from targets import wait_for

EVERY = 0.2
SLACK = 0.25  # a probe's own time, the scheduler's
RUNS_FIRST = 0.8  # how long the attack runs on a healthy service before the break


def passed_then_failed(evs, failures: int):
    """The evaluations are passes, then `failures` failures that end them;
    returns the first failure."""
    assert len(evs) > failures, why(evs)
    assert all(e["passed"] for e in evs[:-failures]), why(evs)
    assert not any(e["passed"] for e in evs[-failures:]), why(evs)
    assert all("value" in e for e in evs[:-failures]), evs  # a pass records its latency
    return evs[-failures]


def test_error_status_mid_attack_aborts_it(service, oneshot):
    line = f"http {service.url} every=200ms"
    shot = oneshot(CPU + BOUND, line)
    shot.wait_started()
    time.sleep(RUNS_FIRST)
    broke = shot.since_spawn(service.set("500"))
    result = shot.finish()

    outcome = aborted_by(result, line)
    first = passed_then_failed(evaluations(result.report, line), 1)
    assert "answered 500" in first["detail"], first
    assert "answered 500" in outcome["reason"], outcome
    assert first["elapsed"] <= broke + EVERY + SLACK, (first, broke)
    assert ended_at(result.report) <= broke + EVERY + 1.0, (result.report["timeline"], broke)
    assert_clean(shot, result)


def test_slow_answers_abort_it_naming_slower_than(service, oneshot):
    delay = 0.6  # over latency=200ms, under the default timeout (1s)
    line = f"http {service.url} every=200ms latency=200ms"
    shot = oneshot(CPU + BOUND, line)
    shot.wait_started()
    time.sleep(RUNS_FIRST)
    broke = shot.since_spawn(service.set(f"slow {delay}"))
    result = shot.finish()

    outcome = aborted_by(result, line)
    first = passed_then_failed(evaluations(result.report, line), 1)
    # The failing probe started within an interval of the break, and waited
    # at most the answer's delay.
    assert first["elapsed"] <= broke + EVERY + delay + SLACK, (first, broke)
    assert "200 ms" in first["detail"] or "200ms" in first["detail"], first
    assert_clean(shot, result)
    # The probe stops waiting at the latency bound (any later answer fails
    # anyway), so the breach is seen 200 ms into the look, not 600: its
    # value is the time it waited, a lower bound of the latency.
    assert "slower than 200ms" in outcome["reason"], outcome
    assert 200 <= first["value"] < delay * 1000, first


def test_dead_service_aborts_it_after_misses_in_a_row(service, oneshot):
    line = f"http {service.url} every=200ms misses=2"
    shot = oneshot(CPU + BOUND, line)
    shot.wait_started()
    time.sleep(RUNS_FIRST)
    broke = shot.since_spawn(service.kill())
    result = shot.finish()

    outcome = aborted_by(result, line)
    evs = evaluations(result.report, line)
    first = passed_then_failed(evs, 2)
    assert sum(not e["passed"] for e in evs) == 2, evs
    assert all("did not answer" in e["detail"] for e in evs[-2:]), evs[-2:]
    assert "(2 misses in a row)" in outcome["reason"], outcome
    assert first["elapsed"] <= broke + EVERY + SLACK, (first, broke)
    assert evs[-1]["elapsed"] <= broke + 2 * EVERY + SLACK, (evs[-1], broke)
    assert_clean(shot, result)


def test_one_failure_is_not_misses_in_a_row(service, oneshot):
    line = f"http {service.url} every=200ms misses=2"
    shot = oneshot(CPU + ["--duration", "2s"], line)
    shot.wait_started()
    time.sleep(0.5)
    service.set("500 once")
    wait_for(lambda: service.mode() == "200", 3, "a probe of the one failure")
    result = shot.finish()

    assert result.rc == 0, result.stderr
    assert result.report["outcome"]["status"] == "completed", result.report["outcome"]
    evs = evaluations(result.report, line)
    failed = [e for e in evs if not e["passed"]]
    assert len(failed) == 1 and "answered 500" in failed[0]["detail"], why(evs)
    assert evs[-1]["passed"], why(evs)
    assert_clean(shot, result)


def test_pausing_the_service_itself_aborts_and_resumes_it(service, run):
    """What the conditions are for: the attack itself breaks the service
    (a pause, SIGSTOP, of its very process). The check that cannot get an
    answer aborts the attack, whose cleanup resumes the service (SIGCONT):
    it answers again, and no process is left stopped."""
    line = f"http {service.url} every=200ms timeout=300ms"
    shot, result = run(["pause", "--pid", str(service.proc.pid), "--duration", "8s"], line)

    outcome = aborted_by(result, line)
    # The admission check passed; the watch's first probe may already
    # meet the paused service.
    evs = evaluations(result.report, line)
    first = [e for e in evs if not e["passed"]]
    assert len(first) == 1, why(evs)
    assert "no answer within 300" in first[0]["detail"], first
    assert "no answer within 300" in outcome["reason"], outcome
    assert first[0]["elapsed"] <= EVERY + 0.3 + SLACK, first
    hits = [(h["signal"], h["process"]["identity"]["pid"]) for h in result.report["processes"]["hits"]]
    assert hits == [("SIGSTOP", service.proc.pid), ("SIGCONT", service.proc.pid)], hits
    assert_clean(shot, result)  # no stopped process left among them
    assert procs.read(service.proc.pid).state != "T"
    with urllib.request.urlopen(service.url, timeout=2) as answer:
        assert answer.status == 200


def test_hung_probe_does_not_hold_the_attack_past_its_end(service, oneshot):
    """A probe waiting out a long timeout when the attack's time is up:
    the attack ends on time all the same, completed (the failure the probe
    would see is after the end)."""
    line = f"http {service.url} every=200ms timeout=20s"
    shot = oneshot(CPU + ["--duration", "2s"], line)
    shot.wait_started()
    time.sleep(0.5)
    service.set("slow 30")
    result = shot.finish()

    assert result.rc == 0, result.stderr
    assert result.report["outcome"]["status"] == "completed", result.report["outcome"]
    assert ended_at(result.report) < 2.5, result.report["timeline"]
    assert result.wall < 5, result.wall
    evs = evaluations(result.report, line)
    assert all(e["passed"] for e in evs), why(evs)
    assert_clean(shot, result)


def test_unhealthy_before_the_start_refuses_it(service, run):
    service.set("500")
    line = f"http {service.url}"
    before = stressd_cgroups()
    shot, result = run(CPU + BOUND, line)
    stderr = assert_refused(shot, result, line, before)
    assert "answered 500" in stderr, stderr


@pytest.mark.parametrize("target", ["closed port", "tarpit", "blackholed address"])
def test_unreachable_refuses_it_quickly(target, closed_port, tarpit, run):
    """A target that refuses, hangs (a socket that never answers) or is
    routed nowhere (10.255.255.1: on this host's network it may also be
    answered by a proxy; refused either way): exit 2 within the timeout,
    not a hang."""
    url = {"closed port": f"http://127.0.0.1:{closed_port}/",
           "tarpit": f"http://127.0.0.1:{tarpit}/",
           "blackholed address": "http://10.255.255.1:81/"}[target]
    line = f"http {url} timeout=300ms"
    before = stressd_cgroups()
    shot, result = run(CPU + BOUND, line, timeout=10)
    assert result.wall < 3, result.wall
    assert_refused(shot, result, line, before)
