"""
Issue 17: the agent's /metrics, through swift-metrics and swift-prometheus,
scraped by a real Prometheus (Debian's package, which `make abort-check`
installs; here because this suite already runs one) with the agent's bearer
token, and read back with PromQL as an operator watching an experiment would:
a running attack's requested and achieved load, its lease time left, its
abort condition holding; once it ended, the count by kind and outcome, the
cleanup histogram, the API's own request count by route (Hummingbird's
metrics middleware), and no series left of the attack. At teardown the agent
is stopped and the test fails if it left anything (harness.teardown).
"""
import shutil
import time

import pytest

from harness import cgroups
from harness.prometheus import PROMETHEUS, Prometheus
from harness.serve import ServeAgent
from harness.teardown import end
from targets import wait_for

LOAD = 0.4
LEASE = 60


def test_prometheus_reads_a_running_attack_and_its_end(binary, tmp_path):
    if not shutil.which(PROMETHEUS):
        pytest.fail(f"no {PROMETHEUS}: `make abort-check` installs Debian's prometheus")
    agent = ServeAgent(binary, tmp_path / "agent")
    agent.launch()
    prometheus = None
    try:
        prometheus = Prometheus(tmp_path, [agent.url.removeprefix("http://")], bearer_token=agent.token, job="stressd")
        wait_for(lambda: prometheus.value('up{job="stressd"}') == 1, 40, "Prometheus scraping the agent", step=0.2)

        status, attack = agent.api("POST", "/v1/attacks", {
            "kind": "cpu", "load": f"{LOAD:.0%}", "cores": 1, "duration": "12s", "lease": f"{LEASE}s",
            "abort-unless": [f"tcp {agent.url.removeprefix('http://')}"]})
        assert status == 201, attack
        attack_id = attack["id"]
        selector = f'{{id="{attack_id}",kind="cpu"}}'
        wait_for(lambda: prometheus.value(f"stressd_attack_achieved{selector}") is not None, 15,
                 "the attack's achieved load scraped", step=0.2)
        assert prometheus.value(f'stressd_attack_requested{{id="{attack_id}",unit="cores"}}') == pytest.approx(LOAD)
        achieved = prometheus.value(f"stressd_attack_achieved{selector}")
        assert abs(achieved - LOAD) < 0.15, f"one worker at {LOAD:.0%} of a core achieved {achieved}"
        left = prometheus.value(f"stressd_attack_lease_seconds_left{selector}")
        assert 0 < left <= LEASE, left
        assert prometheus.value(f"stressd_abort_condition_holds{selector}") == 1
        assert prometheus.value('stressd_attacks_active{kind="cpu"}') == 1

        wait_for(lambda: agent.api("GET", f"/v1/attacks/{attack_id}")[1]["state"] == "finished", 20, "the attack's end")
        assert agent.report(attack_id)["cleanup"]["leftovers"] == []
        wait_for(lambda: prometheus.value('stressd_attacks_total{kind="cpu",outcome="completed"}') == 1, 10,
                 "the ended attack counted", step=0.2)
        assert prometheus.value('stressd_cleanups_total{layer="supervisor"}') == 1
        assert prometheus.value("stressd_cleanup_duration_seconds_count") == 1
        assert prometheus.value('histogram_quantile(1, stressd_cleanup_duration_seconds_bucket) <= 5') is not None
        assert prometheus.value('sum(hb_requests{http_route="/v1/attacks",http_request_method="POST"})') == 1
        assert prometheus.value('stressd_attacks_active{kind="cpu"}') == 0
        # The attack's own series are gone from the agent, so Prometheus marks them stale.
        wait_for(lambda: prometheus.value(f"stressd_attack_achieved{selector}") is None, 10,
                 "the attack's series gone once it ended", step=0.2)
        assert cgroups.left(attack_id) == set()
        busy = prometheus.value('stressd_host_cpu_seconds_total{mode="busy"}')
        assert busy and busy > 0
    finally:
        if prometheus is not None:
            prometheus.stop()
        problems = end([agent], halt=True)
    assert not problems, "\n".join(problems)
