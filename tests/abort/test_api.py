"""
Abort conditions through a `stressd serve` agent (tests/harness): the
request's `abort-unless` list, in both of its forms (an object, a line),
and the agent's own `[policy] abort-unless`, which applies to every attack.
A condition that breaks mid-attack ends it as aborted, and the report,
through GET /v1/reports/ID, lists every condition with its source; one that
fails before the start refuses the request (422, field `abort-unless`)
and nothing is started. At teardown the agent is stopped, and the test
fails if it left anything (harness.teardown).
"""
import json
import subprocess
import time

import pytest

from attacks import evaluations, why
from harness import cgroups, leftovers
from harness.serve import ServeAgent
from harness.teardown import end
from targets import wait_for

ATTACK = {"kind": "cpu", "load": "10%", "cores": 1, "duration": "8s"}


@pytest.fixture
def make_agent(binary, tmp_path):
    """make_agent(config) -> a serving ServeAgent; stopped and checked at teardown."""
    agents = []

    def make(config: str = "") -> ServeAgent:
        agent = ServeAgent(binary, tmp_path / f"agent{len(agents)}", config=config)
        agents.append(agent)
        agent.launch()
        return agent

    yield make
    problems = end(agents, halt=True)
    assert not problems, "\n".join(problems)


def start(agent: ServeAgent, conditions) -> str:
    status, body = agent.api("POST", "/v1/attacks", {**ATTACK, "abort-unless": conditions})
    assert status == 201, (status, body)
    return body["id"]


def ended(agent: ServeAgent, attack_id: str) -> dict:
    """The attack's report once it has finished (polled), as GET /v1/reports/ID gives it."""
    def finished():
        status, got = agent.api("GET", f"/v1/attacks/{attack_id}")
        assert status == 200, (status, got)
        return got["state"] == "finished"
    wait_for(finished, 10, f"attack {attack_id} to finish", step=0.05)
    report = agent.report(attack_id)
    assert report["cleanup"]["leftovers"] == [], report["cleanup"]
    assert cgroups.left(attack_id) == set()
    wait_for(lambda: not leftovers.live([agent]), 5, "the agent clean after the attack", step=0.1)
    return report


def refused(agent: ServeAgent, conditions, condition: str) -> dict:
    """A POST the steady-state check refuses: 422 naming the condition,
    nothing started."""
    known = [a["id"] for a in agent.attacks()]
    status, body = agent.api("POST", "/v1/attacks", {**ATTACK, "abort-unless": conditions})
    assert status == 422, (status, body)
    assert body["field"] == "abort-unless", body
    assert "steady state" in body["detail"] and f"'{condition}'" in body["detail"], body
    assert [a["id"] for a in agent.attacks()] == known
    assert leftovers.ledger_records(agent.state_dir) == []
    return body


def test_request_conditions_abort_the_attack(make_agent, service, listener):
    agent = make_agent()
    attack = start(agent, [{"check": "http", "url": service.url, "every": "200ms"},
                           f"tcp 127.0.0.1:{listener.port}"])
    time.sleep(0.8)
    service.set("500")
    report = ended(agent, attack)

    http_line = f"http {service.url} every=200ms"
    tcp_line = f"tcp 127.0.0.1:{listener.port}"
    assert report["outcome"]["status"] == "aborted", report["outcome"]
    assert report["outcome"]["condition"] == http_line, report["outcome"]
    assert "answered 500" in report["outcome"]["reason"], (report["outcome"], why(evaluations(report, http_line)))
    entries = {c["condition"]: c for c in report["abortConditions"]}
    assert set(entries) == {http_line, tcp_line}, list(entries)
    assert {c["source"] for c in entries.values()} == {"request"}, entries
    assert not entries[http_line]["evaluations"][-1]["passed"], entries[http_line]
    assert entries[tcp_line]["evaluations"] and all(e["passed"] for e in entries[tcp_line]["evaluations"])


def test_service_down_refuses_the_request(make_agent, service):
    agent = make_agent()
    service.kill()
    body = refused(agent, [{"check": "http", "url": service.url, "every": "200ms"}],
                   f"http {service.url} every=200ms")
    assert "did not answer" in body["detail"], body


def test_policy_conditions_apply_to_every_attack(make_agent, listener):
    line = f"tcp 127.0.0.1:{listener.port} every=200ms"
    agent = make_agent(f'[policy]\nabort-unless = ["{line}"]\n')
    attack = start(agent, [])
    time.sleep(0.8)
    listener.close()
    report = ended(agent, attack)

    assert report["outcome"]["status"] == "aborted", report["outcome"]
    assert report["outcome"]["condition"] == line, report["outcome"]
    assert [(c["condition"], c["source"]) for c in report["abortConditions"]] == [(line, "policy")]
    # Its port closed now: the policy refuses the next attack, though the request names no condition.
    refused(agent, [], line)


def test_cli_through_the_agent_carries_its_conditions(binary, make_agent, listener, closed_port):
    """`stressd cpu --agent URL --abort-unless LINE`: the agent checks the
    line (exit 2 when it fails now) and watches it (exit 1, aborted)."""
    agent = make_agent()
    cli = [binary, "cpu", "--load", "10%", "--duration", "8s", "--agent", agent.url,
           "--token-file", str(agent.token_file), "--json"]

    line = f"tcp 127.0.0.1:{closed_port}"
    r = subprocess.run(cli + ["--abort-unless", line], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "steady state" in r.stderr and f"'{line}'" in r.stderr, r.stderr
    assert agent.attacks() == []

    line = f"tcp 127.0.0.1:{listener.port} every=200ms"
    shot = subprocess.Popen(cli + ["--abort-unless", line], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(agent.running, 10, "the attack running on the agent", step=0.05)
        time.sleep(0.8)
        listener.close()
        out, err = shot.communicate(timeout=20)
    finally:
        if shot.poll() is None:
            shot.kill()
            shot.communicate()
    assert shot.returncode == 1, (shot.returncode, err)
    report = json.loads(out)
    assert report["outcome"]["status"] == "aborted" and report["outcome"]["condition"] == line, report["outcome"]
    on_agent = ended(agent, report["id"])
    assert on_agent["outcome"] == report["outcome"]
    assert on_agent["abortConditions"] == report["abortConditions"]
