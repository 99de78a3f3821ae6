"""Findings about chaosstressd found while testing it across hosts, each a
test that failed while the finding stood (kept as regression tests)."""
import time

from chaosstressd import actions
from hosts import PREFIX, sh


def test_one_unreachable_host_does_not_let_the_other_hosts_leases_lapse(make_fleet):
    """The lease renewer used to wait for every renewal of a round before
    the next one (run.py, _renew_loop: f.result() on each), so a host whose
    network went away held the whole loop for the request timeout (10 s by
    default) on every round: the healthy hosts' leases (3 s here, renewed
    every 1 s) were not renewed and their attacks stopped by lease expiry,
    although their agents and the orchestrator were fine. Now each agent's
    renewals are scheduled on their own, each waiting at most
    min(timeout, lease/3)."""
    fleet = make_fleet(2)
    conf = fleet.configuration()  # lease 3s, timeout 10s
    started = actions.start_cpu(load="1%", cores=1, duration="30s", configuration=conf)
    healthy, gone = fleet.agents["h00"], fleet.agents["h01"]
    veth = f"{PREFIX}{fleet.net.pid}v1"  # h01's link to the bridge
    sh("ip", "link", "set", veth, "down")
    try:
        time.sleep(7)  # more than two of the healthy host's leases
        status, body = healthy.api("GET", f"/v1/attacks/{started['h00']['id']}")
    finally:
        sh("ip", "link", "set", veth, "up")
    assert status == 200, body
    assert body["state"] == "running", (
        f"h00's attack ended while only h01 was unreachable: {(body.get('report') or body).get('outcome')}"
    )
