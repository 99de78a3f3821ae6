"""
`prometheus` conditions against a real Prometheus (Debian's package, `make
abort-check` installs it) scraping an exporter the test runs (service.py's
/metrics: `test_errors_total N`, N the test's) every second. Raising N past
the condition's max mid-attack aborts the attack, naming the value; a
query with no sample refuses the attack at admission.

One Prometheus for the module: it needs about 6 s before its first sample
(its scrape manager applies new targets every 5 s), too long to pay per test.
"""
import shutil
import time

import pytest

from attacks import BOUND, CPU, aborted_by, assert_clean, assert_refused, evaluations, stressd_cgroups, why
from harness.prometheus import PROMETHEUS, Prometheus
from targets import Service, wait_for

SCRAPE = 1.0
EVERY = 0.5
SLACK = 0.75
HEALTHY = 3


@pytest.fixture(scope="module")
def exporter(tmp_path_factory):
    """The service whose test_errors_total the conditions query, killed at the module's end."""
    service = Service(tmp_path_factory.mktemp("exporter") / "service")
    try:
        service.errors(HEALTHY)
        yield service
    finally:
        service.kill()


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory, exporter):
    """A Prometheus that has scraped test_errors_total = HEALTHY, stopped at
    the module's end, whatever happened."""
    if not shutil.which(PROMETHEUS):
        pytest.skip(f"no {PROMETHEUS}: `make abort-check` installs Debian's prometheus")
    folder = tmp_path_factory.mktemp("prometheus")
    prom = None
    try:
        prom = Prometheus(folder, [f"127.0.0.1:{exporter.port}"], interval=SCRAPE, job="abort-test")
        wait_for(lambda: prom.query("test_errors_total"), 40, "a scraped test_errors_total", step=0.2)
        yield prom
    finally:
        if prom is not None:
            prom.stop()


def value_now(prom: Prometheus) -> float:
    samples = prom.query("test_errors_total")
    return float(samples[0]["value"][1]) if samples else float("nan")


def test_value_past_max_mid_attack_aborts_it(prometheus, exporter, oneshot):
    line = f"prometheus {prometheus.url} test_errors_total every=500ms max=5"
    try:
        shot = oneshot(CPU + BOUND, line)
        shot.wait_started()
        time.sleep(1.0)
        broke = shot.since_spawn(exporter.errors(10))
        result = shot.finish()
    finally:
        exporter.errors(HEALTHY)

    outcome = aborted_by(result, line)
    evs = evaluations(result.report, line)
    assert len(evs) >= 2 and all(e["passed"] and e["value"] == HEALTHY for e in evs[:-1]), why(evs)
    assert not evs[-1]["passed"] and evs[-1]["value"] == 10, evs[-1]
    assert "10" in outcome["reason"], outcome
    # Prometheus sees it at its next scrape, the condition at its next probe.
    assert evs[-1]["elapsed"] <= broke + SCRAPE + EVERY + SLACK, (evs[-1], broke)
    assert_clean(shot, result)
    wait_for(lambda: value_now(prometheus) == HEALTHY, 5, "test_errors_total back to its healthy value")


def test_query_without_sample_refuses_it(prometheus, run):
    line = f"prometheus {prometheus.url} nonexistent_metric max=5"
    before = stressd_cgroups()
    shot, result = run(CPU + BOUND, line)
    stderr = assert_refused(shot, result, line, before)
    assert "no sample" in stderr, stderr
