"""
Probes: what the agents see of their hosts, and of this run's attacks.

Host probes that return one number take the worst value over the selected
agents (the least memory available, the busiest CPU, the highest pressure),
so a tolerance such as `{"type": "range", "range": [0, 0.9]}` holds on every
host at once; `host_snapshot` returns every agent's whole snapshot.
"""
import logging
import threading
from typing import Any, Dict, List, Optional, Tuple

from chaoslib.exceptions import ActivityFailed
from chaoslib.types import Configuration, Secrets

from .actions import _stop_run
from .agents import Agent, AgentError, failure_message, fan_out
from .run import current_run
from .selection import select_agents

__all__ = [
    "host_snapshot",
    "memory_available_bytes",
    "cpu_busy_fraction",
    "pressure",
    "run_attacks",
    "attack_state",
    "attack_report",
    "attack_outcome",
    "nothing_left",
    "attacks_healthy",
]

logger = logging.getLogger("chaostoolkit")

UNHEALTHY_OUTCOMES = ["guard-tripped", "oom-killed", "failed"]


def _run(configuration: Configuration):
    return current_run((configuration or {}).get("stressd_run_id"))


def _per_host(configuration, secrets, targets, call, what: str) -> Dict[str, Any]:
    agents = select_agents(configuration, secrets, targets)
    results, errors = fan_out(
        agents, call, int((configuration or {}).get("stressd_max_workers", 16))
    )
    if errors:
        raise ActivityFailed(failure_message(what, errors))
    return {h: results[h] for h in sorted(results)}


def host_snapshot(
    targets: List[str] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Dict[str, Any]]:
    """
    Each selected agent's host snapshot (`GET /v1/host`, what `stressd host
    --json` prints: cpu, load, memory, pressure, file systems, cgroup, top
    processes), by host.
    """
    return _per_host(configuration, secrets, targets, lambda a: a.host(), "reading the host")


def memory_available_bytes(
    targets: List[str] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> int:
    """The least MemAvailable (bytes) over the selected agents' hosts."""
    snaps = host_snapshot(targets, configuration, secrets)
    return min(int(s["memory"]["availableBytes"]) for s in snaps.values())


def cpu_busy_fraction(
    targets: List[str] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> float:
    """The highest CPU busy fraction (0 to 1, over the agent's 250 ms
    measurement) over the selected agents' hosts."""
    snaps = host_snapshot(targets, configuration, secrets)
    values = [s.get("cpu", {}).get("busyFraction") for s in snaps.values()]
    values = [float(v) for v in values if v is not None]
    if not values:
        raise ActivityFailed("no agent reported a CPU busy fraction")
    return max(values)


def pressure(
    resource: str = "memory",
    kind: str = "some",
    window: str = "avg10",
    targets: List[str] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> float:
    """
    The highest pressure stall (PSI, percent of time) over the selected
    agents' hosts: `resource` cpu, memory or io; `kind` some or full;
    `window` avg10, avg60 or avg300. Fails on a host without /proc/pressure.
    """
    if resource not in ("cpu", "memory", "io"):
        raise ActivityFailed(f"resource '{resource}': one of cpu, memory, io")
    if kind not in ("some", "full"):
        raise ActivityFailed(f"kind '{kind}': one of some, full")
    if window not in ("avg10", "avg60", "avg300"):
        raise ActivityFailed(f"window '{window}': one of avg10, avg60, avg300")
    snaps = host_snapshot(targets, configuration, secrets)
    values = []
    missing = []
    for host, s in snaps.items():
        v = (((s.get("pressure") or {}).get(resource) or {}).get(kind) or {}).get(window)
        if v is None:
            missing.append(host)
        else:
            values.append(float(v))
    if missing:
        raise ActivityFailed(
            f"no {resource} pressure ({kind} {window}) on {', '.join(missing)}: "
            "the kernel has no /proc/pressure there"
        )
    return max(values)


def run_attacks(
    targets: List[str] = None,
    state: str = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, List[Dict[str, Any]]]:
    """
    This run's attacks as each selected agent lists them (summaries: id,
    kind, state, progress, lease left; once finished, outcome and whether
    cleanup was verified), by host; `state` (running, finished) filters.
    """
    run = _run(configuration)

    def listing(agent: Agent):
        return [
            s for s in agent.list(labels=run.labels, state=state)
            if (s.get("labels") or {}).get(next(iter(run.labels))) == run.id
        ]

    return _per_host(configuration, secrets, targets, listing, "listing this run's attacks")


def _attack_agent(
    target: str, attack_id: Optional[str], configuration, secrets
) -> Tuple[Agent, str]:
    run = _run(configuration)
    agents = select_agents(configuration, secrets, [target])
    agent = agents[0]
    if attack_id:
        return agent, attack_id
    a = run.find(target)
    if a is None:
        raise ActivityFailed(
            f"this run started no attack on '{target}': give attack_id"
        )
    return agent, a.id


def attack_state(
    target: str,
    attack_id: str = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Any]:
    """
    One attack as the agent `target` shows it (`GET /v1/attacks/{id}`):
    `state` (running, finished, recovered), `progress` and
    `leaseSecondsLeft` while it runs, `report` once finished. Without
    `attack_id`, the latest attack this run started on `target`.
    """
    agent, attack_id = _attack_agent(target, attack_id, configuration, secrets)
    try:
        return agent.get(attack_id)
    except AgentError as x:
        raise ActivityFailed(str(x))


def attack_report(
    target: str,
    attack_id: str = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Any]:
    """
    A finished attack's report from the agent `target`: spec, outcome,
    guards, the achieved values (`cpu.workers[].averageLoad`,
    `memory.peakHeldBytes`, `disk.filledBytes`, `processes.hits`), the
    timeline and `cleanup` (its verification: `leftovers` empty when nothing
    was left). Without `attack_id`, the latest attack this run started there.
    """
    agent, attack_id = _attack_agent(target, attack_id, configuration, secrets)
    try:
        return agent.report(attack_id)
    except AgentError as x:
        raise ActivityFailed(str(x))


def attack_outcome(
    target: str,
    attack_id: str = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> str:
    """
    How an attack ended: `completed`, `stopped`, `guard-tripped`,
    `oom-killed` or `failed`; `running` while it runs. Without `attack_id`,
    the latest attack this run started on `target`.
    """
    a = attack_state(target, attack_id, configuration, secrets)
    if a.get("state") == "running":
        return "running"
    report = a.get("report") or {}
    return (report.get("outcome") or {}).get("status", a.get("state", "unknown"))


def nothing_left(
    targets: List[str] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> bool:
    """
    True when nothing of this experiment run is left on any selected agent:
    no attack carrying this run's label is running, and every finished one
    was cleanup-verified (nothing left behind). Also True when the run
    started nothing. An unreachable agent fails the probe.
    """
    listing = run_attacks(targets, None, configuration, secrets)
    ok = True
    for host, summaries in listing.items():
        for s in summaries:
            if s.get("state") == "running":
                logger.info("stressd attack %s still runs on %s", s.get("id"), host)
                ok = False
            elif s.get("state") == "finished" and s.get("cleanupVerified") is not True:
                logger.warning(
                    "stressd attack %s on %s ended without verified cleanup", s.get("id"), host
                )
                ok = False
    return ok


def attacks_healthy(
    targets: List[str] = None,
    unhealthy_outcomes: List[str] = None,
    stop_run: bool = True,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> bool:
    """
    The safeguard probe (chaosaddons.controls.safeguards, tolerance `true`):
    True while no attack of this run has ended with an unhealthy outcome
    (default: guard-tripped, oom-killed, failed) or with a cleanup that
    could not be verified. False, and so the safeguard interrupts the
    experiment, as soon as one has. An agent that cannot be reached fails
    the probe, which fails the tolerance too (fail closed).

    When it returns False, wherever it runs (a safeguard, a hypothesis), it
    has also begun stopping this run's attacks on every host, and the run
    starts no attack after (`stop_run: false` leaves both to the control at
    the experiment's end). The safeguard interrupts chaos with a SIGUSR1 its
    own thread sends to the process; when another thread takes that signal,
    chaos's main thread sleeps on through the pause (or the activity) it is
    in, and only then ends the experiment: seen 19 s after the trip, at the
    end of a 20 s pause. The load must not run on that long.
    """
    bad = set(unhealthy_outcomes or UNHEALTHY_OUTCOMES)
    listing = run_attacks(targets, None, configuration, secrets)
    why: List[str] = []
    for host, summaries in listing.items():
        for s in summaries:
            if s.get("state") != "finished":
                continue
            outcome = s.get("outcome") or {}
            if outcome.get("status") in bad:
                logger.critical(
                    "stressd attack %s on %s ended %s: %s",
                    s.get("id"), host, outcome.get("status"), outcome.get("reason", ""),
                )
                why.append(f"{s.get('id')} on {host} ended {outcome.get('status')}")
            if s.get("cleanupVerified") is False:
                logger.critical(
                    "stressd attack %s on %s left something behind after cleanup",
                    s.get("id"), host,
                )
                why.append(f"{s.get('id')} on {host} left something behind")
    if why and stop_run:
        _stop_unhealthy_run(_run(configuration), why[0], configuration, secrets)
    return not why


def _stop_unhealthy_run(run, reason: str, configuration: Configuration, secrets: Secrets) -> None:
    """Marks the run unhealthy (it starts nothing more) and stops what it
    runs on every host, on a thread of its own: the probe answers at once,
    so the safeguard's interruption is not held up by the cleanups. The
    first time it also stops, by the run's label, what this process lost
    track of; later looks only what is still believed running."""
    first = run.mark_unhealthy(reason)
    running = run.list(running_only=True)
    if not first and not running:
        return

    def stop() -> None:
        reports, errors = _stop_run(run, None, configuration, secrets)
        was_running = {(a.host, a.id) for a in running}
        stopped = sorted(
            f"{host}/{r.get('id')}"
            for host, rs in reports.items()
            for r in rs
            if (host, r.get("id")) in was_running and (r.get("outcome") or {}).get("status") == "stopped"
        )
        logger.critical("stressd: the run is unhealthy (%s): stopped %s", reason, ", ".join(stopped) or "nothing more")
        for name in sorted(errors):
            logger.error("stressd: could not stop this run's attacks: %s", errors[name])

    threading.Thread(target=stop, name="chaosstressd-unhealthy", daemon=True).start()
