"""
A bug found in chaostoolkit-stressd while writing these tests (also found by
the multi-host suite, commit e2b9acb), and its regression test: it fails
against run.py as committed up to 4ebae8c and passes with the renewer that
renews each agent independently (being written as this is committed).

The lease renewer (chaosstressd/run.py, Run._renew_loop) submitted the due
renewals to its pool and then waited for every one of them (`f.result()`)
before its next tick; each renewal was a request with the agent's whole
timeout (stressd_timeout, 10 s by default). So one agent that stops
answering without refusing the connection (a frozen or overloaded host, a
black-holed route) holds up the renewals of every other agent for that
long, and their attacks end by "lease expired" while the experiment runs
and those agents are healthy. With the defaults (lease 10 s, renewed every
3.3 s, timeout 10 s) a silent agent stalls the loop from the moment a
renewal is due for 10 s: 13.3 s after the last renewal, past the 10 s lease.
"""
import os
import signal
import time


def test_a_silent_agent_does_not_let_the_other_agents_leases_lapse(lab):
    from chaosstressd import actions
    from chaosstressd.run import new_run

    healthy, frozen = lab.start_hosts("healthy", "frozen")
    conf = {
        "stressd_agents": {h.name: {"url": h.url, "token_file": str(h.token_file)}
                           for h in (healthy, frozen)},
        "stressd_lease": "3s",
        "stressd_timeout": 10,
    }
    run = new_run()
    stopped = False
    try:
        started = actions.start_cpu(load="10%", duration="60s", configuration=conf)
        time.sleep(1.2)  # a renewal round or so, both agents answering
        os.kill(frozen.proc.pid, signal.SIGSTOP)  # accepts connections, answers nothing
        stopped = True
        time.sleep(5)  # well past the 3 s lease: the renewer has had 5 rounds' time
        running = [a["id"] for a in healthy.running()]
        ended = [a for a in healthy.attacks() if a.get("state") == "finished"]
        assert running == [started["healthy"]["id"]], (
            f"the healthy agent's attack ended while chaos ran: {ended}")
    finally:
        if stopped:
            os.kill(frozen.proc.pid, signal.SIGCONT)
        run.stop_renewer(timeout=15)
        actions.stop_attacks(configuration=conf)
