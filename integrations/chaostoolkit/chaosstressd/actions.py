"""
Actions: start attacks on stressd agents, stop them, halt everything.

Every `start_*` action:
- acts on the agents named in `targets` (default: every agent of
  `stressd_agents`), or on `count` of them / `percentage` of them sampled at
  random (`seed` makes the pick repeatable);
- starts the same attack on each, in parallel, with a lease (`lease`, else
  the configuration's `stressd_lease`, else 10s) that this process renews
  every lease/3 until the attack is stopped or the experiment ends;
- labels it `stressd.chaostoolkit/run=<run id>` (plus `labels`);
- is all-or-nothing: on the first refusal, the starts not yet sent are not
  sent, the attacks already started by this call are stopped at once and
  those whose start was in flight as they are answered; ActivityFailed names
  each refusing host with the agent's reason (its problem `detail` and
  `field`);
- returns, per host, the attack id and what the agent accepted.
"""
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, Callable, Dict, List, Optional, Tuple

from chaoslib.exceptions import ActivityFailed
from chaoslib.types import Configuration, Secrets

from .agents import (
    DEFAULT_MAX_WORKERS,
    Agent,
    AgentError,
    agents_from_configuration,
    failure_message,
    fan_out,
    parse_duration,
)
from .run import RUN_LABEL, Attack, current_run, valid_label
from .selection import select_agents

__all__ = [
    "start_attack",
    "start_cpu",
    "start_memory",
    "start_disk",
    "start_io",
    "kill_processes",
    "pause_processes",
    "stop_attacks",
    "halt_all",
    "stop_lease_renewal",
]

logger = logging.getLogger("chaostoolkit")

DEFAULT_LEASE = "10s"
KINDS = ("cpu", "mem", "disk", "io", "kill", "pause")
#: the label of one start call, so a start that timed out can be undone
CALL_LABEL = "stressd.chaostoolkit/call"


def _max_workers(configuration: Configuration) -> int:
    return int((configuration or {}).get("stressd_max_workers", DEFAULT_MAX_WORKERS))


def start_attack(
    kind: str,
    parameters: Dict[str, Any] = None,
    duration: str = None,
    lease: str = None,
    labels: Dict[str, str] = None,
    targets: List[str] = None,
    count: int = None,
    percentage: float = None,
    seed: int = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
    abort_unless: List[Any] = None,
) -> Dict[str, Dict[str, Any]]:
    """
    Start one attack of `kind` (cpu, mem, disk, io, kill, pause) on each selected
    agent. `parameters` are the flags of `stressd <kind>`, by their CLI names
    (`{"load": "30%", "cores": 1}`, `{"fill-to": "90%"}`), passed through
    as they are; the agent refuses what it does not know.

    `abort_unless`: abort conditions, each the line `stressd --abort-unless`
    takes ("http http://127.0.0.1:8080/health latency=300ms") or an object
    ({"check": "tcp", "address": "127.0.0.1:5432"}); the configuration's
    `stressd_abort_unless` list comes first and applies to every attack of
    the experiment. Each agent checks them before it starts (one that fails
    refuses the attack: the action fails, nothing is left started) and
    watches them itself while the attack runs: the first breach stops the
    attack on that host within the condition's `every`.

    All-or-nothing: if any agent refuses, those already started are stopped
    and ActivityFailed names every host that refused and why.

    Returns `{host: {"id", "kind", "url", "lease", "labels", "accepted",
    "guards"}}` where `accepted` is the spec as the agent echoed it.
    """
    if kind not in KINDS:
        raise ActivityFailed(
            f"unknown attack kind '{kind}': one of {', '.join(KINDS)}"
        )
    configuration = configuration or {}
    body: Dict[str, Any] = {}
    for k, v in (parameters or {}).items():
        if v is None:
            continue
        if k in ("kind", "lease", "labels", "abort-unless"):
            raise ActivityFailed(
                f"parameter '{k}' is set by the extension; use the "
                f"action's '{k.replace('-', '_')}' argument" if k != "kind" else
                "parameter 'kind' is set by the action's 'kind' argument"
            )
        body[k] = v
    body["kind"] = kind
    conditions = _abort_conditions(configuration.get("stressd_abort_unless"), abort_unless)
    if conditions:
        body["abort-unless"] = conditions
    if duration is not None:
        body["duration"] = duration
    if "duration" not in body:
        raise ActivityFailed(f"a {kind} attack needs a duration, e.g. '30s'")

    lease = lease or configuration.get("stressd_lease") or DEFAULT_LEASE
    lease_seconds = parse_duration(lease)
    if lease_seconds < 1:
        raise ActivityFailed(
            f"lease '{lease}' is too short: renewals every lease/3 need at least 1s"
        )
    body["lease"] = lease

    run = current_run(configuration.get("stressd_run_id"))
    _refuse_if_unhealthy(run, f"the {kind} attack is not started")
    call_id = uuid.uuid4().hex[:16]
    all_labels: Dict[str, str] = {}
    for k, v in (labels or {}).items():
        v = str(v)
        err = valid_label(k, v)
        if err:
            raise ActivityFailed(err)
        if k in (RUN_LABEL, CALL_LABEL):
            raise ActivityFailed(f"label '{k}' is set by the extension")
        all_labels[k] = v
    all_labels[RUN_LABEL] = run.id
    all_labels[CALL_LABEL] = call_id
    if len(all_labels) > 16:
        raise ActivityFailed("at most 14 labels of your own (the agent takes 16)")
    body["labels"] = all_labels

    agents = select_agents(configuration, secrets, targets, count, percentage, seed)
    for a in agents:
        run.touched(a)

    def start(agent: Agent) -> Attack:
        answer = agent.start(body)
        attack = Attack(
            agent.name,
            agent,
            answer.get("id"),
            kind,
            lease_seconds,
            answer,
        )
        if not attack.id:
            raise AgentError(agent.name, agent.url, "the agent answered 201 without an attack id")
        # registered at once: whatever happens next, the lease is renewed
        # and the control stops it
        run.add(attack)
        return attack

    started, stopped, errors, not_sent = _start_all_or_nothing(
        run, agents, start, call_id, _max_workers(configuration)
    )
    if errors:
        raise ActivityFailed(
            failure_message(f"starting the {kind} attack", errors)
            + _undo_note(stopped)
            + _not_sent_note(not_sent)
        )
    if run.unhealthy:
        # found unhealthy while these started: the probe's stop may have
        # swept before they existed on their agents
        _stop_run(run, None, configuration, secrets)
        _refuse_if_unhealthy(run, f"the {kind} attack is stopped again on " + ", ".join(
            f"{h} ({a.id})" for h, a in sorted(started.items())))

    logger.info(
        "stressd %s attack started on %s (%s)",
        kind,
        ", ".join(f"{h}: {a.id}" for h, a in sorted(started.items())),
        run.label,
    )
    return {
        host: {
            "id": a.id,
            "kind": kind,
            "url": a.agent.url,
            "lease": lease,
            "labels": all_labels,
            "accepted": a.accepted.get("spec", {}),
            "guards": a.accepted.get("guards"),
        }
        for host, a in sorted(started.items())
    }


def _refuse_if_unhealthy(run, what: str) -> None:
    """Raises, saying `what` became of the attack, once the safeguard probe
    found the run unhealthy."""
    reason = run.unhealthy
    if reason:
        raise ActivityFailed(
            f"{what}: this run is unhealthy ({reason}), so it starts nothing more and its safeguard ends it"
        )


class _NotSent(Exception):
    """A start not sent: an agent had refused already."""


def _start_all_or_nothing(
    run,
    agents: List[Agent],
    start: Callable[[Agent], Attack],
    call_id: str,
    max_workers: int,
) -> Tuple[Dict[str, Attack], Dict[str, Attack], Dict[str, BaseException], List[str]]:
    """Starts on every agent in parallel (at most `max_workers` at once).
    At the first failure it undoes at once: the starts not yet sent are not
    sent, the attacks already started are stopped (in parallel, on a pool of
    their own, while the other starts are in flight), a start in flight is
    stopped by its own thread as soon as it is answered, and on an agent
    whose answer never came (a timeout, a reset) whatever carries this
    call's label is stopped. Returns when every start sent has been
    answered (or timed out) and every undo done: (started, stopped again,
    errors by host, names of the agents no start was sent to)."""
    started: Dict[str, Attack] = {}
    stopped: Dict[str, Attack] = {}
    errors: Dict[str, BaseException] = {}
    not_sent: List[str] = []
    if not agents:
        return started, stopped, errors, not_sent
    lock = threading.Lock()
    aborted = threading.Event()
    workers = max(1, min(max_workers, len(agents)))

    def undo_attack(agent: Agent, attack: Attack) -> None:
        try:
            report = agent.stop(attack.id)
        except Exception as x:
            logger.error("could not undo the start on '%s': %s", agent.name, x)
            with lock:
                errors.setdefault(agent.name, x)
            return
        run.ended(attack, report)
        with lock:
            stopped[agent.name] = attack

    def undo_call(agent: Agent) -> None:
        try:
            for report in agent.stop_labelled({CALL_LABEL: call_id}):
                logger.info(
                    "stopped %s on '%s', started by this call although its "
                    "answer never came",
                    (report or {}).get("id"),
                    agent.name,
                )
        except Exception as x:
            logger.error("could not undo the start on '%s': %s", agent.name, x)

    def start_one(agent: Agent) -> Attack:
        if aborted.is_set():
            raise _NotSent()
        attack = start(agent)
        with lock:
            started[agent.name] = attack
            late = aborted.is_set()  # else the abort below stops it
        if late:
            undo_attack(agent, attack)
        return attack

    undo_pool = None
    undos = []
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chaosstressd")
    try:
        futures = {pool.submit(start_one, a): a for a in agents}
        for f in as_completed(futures):
            agent = futures[f]
            if f.cancelled():
                not_sent.append(agent.name)
                continue
            x = f.exception()
            if x is None:
                continue
            if isinstance(x, _NotSent):
                not_sent.append(agent.name)
                continue
            with lock:
                errors[agent.name] = x
                first = not aborted.is_set()
                aborted.set()
                to_undo = list(started.items()) if first else []
            if first:
                for other in futures:
                    other.cancel()
                undo_pool = ThreadPoolExecutor(
                    max_workers=workers, thread_name_prefix="chaosstressd-undo"
                )
                for name, attack in to_undo:
                    undos.append(undo_pool.submit(undo_attack, attack.agent, attack))
            if not (isinstance(x, AgentError) and x.status is not None):
                # no answer came (timeout, reset): it may have started there
                if undo_pool is None:  # pragma: no cover - the abort made it
                    undo_pool = ThreadPoolExecutor(max_workers=workers)
                undos.append(undo_pool.submit(undo_call, agent))
        for u in undos:
            u.result()
    finally:
        pool.shutdown(wait=True)
        if undo_pool is not None:
            undo_pool.shutdown(wait=True)
    order = {a.name: i for i, a in enumerate(agents)}
    not_sent.sort(key=order.get)
    return started, stopped, errors, not_sent


def _undo_note(started: Dict[str, Attack]) -> str:
    if not started:
        return ""
    return "\nstopped again, so nothing of this call runs: " + ", ".join(
        f"{h} ({a.id})" for h, a in sorted(started.items())
    )


def _not_sent_note(not_sent: List[str]) -> str:
    if not not_sent:
        return ""
    return (
        f"\nnot sent, as an agent had refused already: {len(not_sent)} agent(s): "
        + ", ".join(not_sent)
    )


def _abort_conditions(*lists: Any) -> List[Any]:
    """The configuration's conditions, then the action's; each a line or an object."""
    conditions: List[Any] = []
    for given in lists:
        if given is None:
            continue
        if isinstance(given, (str, dict)):
            given = [given]
        if not isinstance(given, list) or not all(isinstance(c, (str, dict)) for c in given):
            raise ActivityFailed(
                "abort_unless takes a list of conditions, each a line such as "
                "'tcp 127.0.0.1:5432' or an object such as {'check': 'tcp', 'address': '127.0.0.1:5432'}"
            )
        conditions.extend(given)
    return conditions


def _params(**kwargs: Any) -> Dict[str, Any]:
    """Python names to the CLI's (max_load_avg -> max-load-avg), None left out."""
    return {k.replace("_", "-"): v for k, v in kwargs.items() if v is not None}


def start_cpu(
    load: str = "100%",
    cores: Any = 1,
    duration: str = "60s",
    mode: str = None,
    max_load_avg: float = None,
    lease: str = None,
    labels: Dict[str, str] = None,
    targets: List[str] = None,
    count: int = None,
    percentage: float = None,
    seed: int = None,
    abort_unless: List[Any] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Dict[str, Any]]:
    """
    Burn `load` of each of `cores` cores (a number or "all") for `duration`
    on each selected agent (`stressd cpu`). `mode` "added" (default) or
    "total"; `max_load_avg` stops the attack if the 1-minute load average
    passes it (may only lower the agent's cap).
    `abort_unless`: abort conditions the agent checks and watches (see
    `start_attack`).
    """
    return start_attack(
        "cpu",
        _params(load=load, cores=cores, mode=mode, max_load_avg=max_load_avg),
        duration, lease, labels, targets, count, percentage, seed,
        configuration, secrets, abort_unless=abort_unless,
    )


def start_memory(
    size: str = None,
    of: str = None,
    fill_to: str = None,
    rate: str = None,
    lock: bool = None,
    respawn: bool = None,
    floor: str = None,
    duration: str = "60s",
    lease: str = None,
    labels: Dict[str, str] = None,
    targets: List[str] = None,
    count: int = None,
    percentage: float = None,
    seed: int = None,
    abort_unless: List[Any] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Dict[str, Any]]:
    """
    Hold memory resident (`stressd mem`): `size` ("512M", or a share such as
    "20%" of `of`: limit, total, available) or `fill_to` ("90%" of the
    limit); `rate` ramps up ("256M/s"); `lock` mlocks; `respawn` restarts an
    OOM-killed hog; `floor` raises the agent's MemAvailable floor.
    `abort_unless`: abort conditions the agent checks and watches (see
    `start_attack`).
    """
    return start_attack(
        "mem",
        _params(size=size, of=of, fill_to=fill_to, rate=rate, lock=lock,
                respawn=respawn, floor=floor),
        duration, lease, labels, targets, count, percentage, seed,
        configuration, secrets, abort_unless=abort_unless,
    )


def start_disk(
    path: str,
    size: str = None,
    fill_to: str = None,
    leave: str = None,
    include_reserved: bool = None,
    floor: str = None,
    duration: str = "60s",
    lease: str = None,
    labels: Dict[str, str] = None,
    targets: List[str] = None,
    count: int = None,
    percentage: float = None,
    seed: int = None,
    abort_unless: List[Any] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Dict[str, Any]]:
    """
    Fill the file system of `path` (`stressd disk`): exactly one of `size`
    ("10G"), `fill_to` ("90%", df's Use%) and `leave` ("1G" or "10%");
    `floor` raises the agent's free-space floor; `include_reserved` takes
    root's reserved blocks too.
    `abort_unless`: abort conditions the agent checks and watches (see
    `start_attack`).
    """
    return start_attack(
        "disk",
        _params(path=path, size=size, fill_to=fill_to, leave=leave,
                include_reserved=include_reserved, floor=floor),
        duration, lease, labels, targets, count, percentage, seed,
        configuration, secrets, abort_unless=abort_unless,
    )


def start_io(
    path: str,
    read: str = None,
    block_size: str = None,
    size: str = None,
    workers: int = None,
    pattern: str = None,
    rate: str = None,
    iops: int = None,
    buffered: bool = None,
    floor: str = None,
    duration: str = "60s",
    lease: str = None,
    labels: Dict[str, str] = None,
    targets: List[str] = None,
    count: int = None,
    percentage: float = None,
    seed: int = None,
    abort_unless: List[Any] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Dict[str, Any]]:
    """
    Keep the disk of `path` busy (`stressd io`): `read` is the share of
    reads ("70%", default writes only), `block_size` ("4K", default 64K),
    `size` the working set (default 256M), `workers`, `pattern` ("random"
    or "sequential"), at most one of `rate` ("200M/s") and `iops`;
    direct I/O unless `buffered`; `floor` raises the free-space floor.
    `abort_unless`: abort conditions the agent checks and watches (see
    `start_attack`).
    """
    return start_attack(
        "io",
        _params(path=path, read=read, block_size=block_size, size=size, workers=workers, pattern=pattern,
                rate=rate, iops=iops, buffered=buffered, floor=floor),
        duration, lease, labels, targets, count, percentage, seed,
        configuration, secrets, abort_unless=abort_unless,
    )


def _process_params(
    name, match, pid, unit, cgroup, pick_count, all, oldest, newest,
    allow_none, allow_protected, pick_seed,
) -> Dict[str, Any]:
    p = _params(name=name, match=match, pid=pid, unit=unit, cgroup=cgroup,
                all=all, oldest=oldest, newest=newest, allow_none=allow_none,
                allow_protected=allow_protected)
    if pick_count is not None:
        p["count"] = pick_count
    if pick_seed is not None:
        p["seed"] = pick_seed
    return p


def kill_processes(
    name: str = None,
    match: str = None,
    pid: int = None,
    unit: str = None,
    cgroup: str = None,
    signal: str = None,
    interval: str = None,
    pick_count: int = None,
    all: bool = None,
    oldest: bool = None,
    newest: bool = None,
    pick_seed: int = None,
    allow_none: bool = None,
    allow_protected: bool = None,
    duration: str = "10s",
    lease: str = None,
    labels: Dict[str, str] = None,
    targets: List[str] = None,
    count: int = None,
    percentage: float = None,
    seed: int = None,
    abort_unless: List[Any] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Dict[str, Any]]:
    """
    Signal matching processes (`stressd kill`): one selector of `name`,
    `match`, `pid`, `unit`, `cgroup`; which matches: `pick_count` (the
    CLI's --count, default 1 at random), `all`, `oldest` or `newest`, with
    `pick_seed` (the CLI's --seed); `signal` (default KILL); `interval`
    kills again until `duration` ends. `count`, `percentage` and `seed`
    select agents, as in every action.
    `abort_unless`: abort conditions the agent checks and watches (see
    `start_attack`).
    """
    p = _process_params(name, match, pid, unit, cgroup, pick_count, all,
                        oldest, newest, allow_none, allow_protected, pick_seed)
    p.update(_params(signal=signal, interval=interval))
    return start_attack(
        "kill", p, duration, lease, labels, targets, count, percentage, seed,
        configuration, secrets, abort_unless=abort_unless,
    )


def pause_processes(
    name: str = None,
    match: str = None,
    pid: int = None,
    unit: str = None,
    cgroup: str = None,
    pick_count: int = None,
    all: bool = None,
    oldest: bool = None,
    newest: bool = None,
    pick_seed: int = None,
    allow_none: bool = None,
    allow_protected: bool = None,
    duration: str = "30s",
    lease: str = None,
    labels: Dict[str, str] = None,
    targets: List[str] = None,
    count: int = None,
    percentage: float = None,
    seed: int = None,
    abort_unless: List[Any] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Dict[str, Any]]:
    """
    SIGSTOP matching processes for `duration`, then SIGCONT them (`stressd
    pause`); selectors and picks as for `kill_processes`.
    `abort_unless`: abort conditions the agent checks and watches (see
    `start_attack`).
    """
    p = _process_params(name, match, pid, unit, cgroup, pick_count, all,
                        oldest, newest, allow_none, allow_protected, pick_seed)
    return start_attack(
        "pause", p, duration, lease, labels, targets, count, percentage, seed,
        configuration, secrets, abort_unless=abort_unless,
    )


def stop_attacks(
    targets: List[str] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, List[Dict[str, Any]]]:
    """
    Stop every attack this experiment run started (on `targets` only, if
    given) and return their reports by host. Also halts, on each agent the
    run touched, any running attack carrying this run's label that this
    process lost track of. Attacks already finished are reported as they
    ended. Raises ActivityFailed naming each agent that could not be reached
    after trying all of them.
    """
    run = current_run((configuration or {}).get("stressd_run_id"))
    results, errors = _stop_run(run, targets, configuration, secrets)
    if errors:
        raise ActivityFailed(failure_message("stopping this run's attacks", errors))
    return results


def _stop_run(run, targets, configuration, secrets):
    """Stops the run's attacks on every agent it touched (and every
    configured one); returns (reports by host, errors by host)."""
    hosts = None
    if targets:
        hosts = [targets] if isinstance(targets, str) else list(targets)
    with run.lock:
        agents = {n: a for n, a in run.agents.items() if hosts is None or n in hosts}
    # agents configured but not yet touched still get the label sweep
    try:
        for n, a in agents_from_configuration(configuration, secrets).items():
            if (hosts is None or n in hosts) and n not in agents:
                agents[n] = a
    except ActivityFailed:
        pass  # no configuration here (e.g. a bare call): what the run knows is enough

    def stop_on(agent: Agent) -> List[Dict[str, Any]]:
        # one round: every running attack of the run on this agent, known
        # here or not, halted by the run's label; the agent answers with
        # their reports
        reports: Dict[str, Dict[str, Any]] = {}
        first_error = None
        try:
            for report in agent.stop_labelled(run.labels):
                if isinstance(report, dict) and report.get("id"):
                    reports[report["id"]] = report
        except AgentError as x:
            first_error = x
        for a in run.list(hosts=[agent.name]):
            if a.id in reports:
                run.ended(a, reports[a.id])
                continue
            if first_error is None and a.report is None:
                # it ended before (its duration, a guard, its lease): only
                # its report is fetched, for the journal
                try:
                    run.ended(a, a.agent.report(a.id))
                except AgentError as x:
                    first_error = first_error or x
            if a.report is not None:
                reports[a.id] = a.report
        if first_error is not None:
            raise first_error
        return [reports[k] for k in sorted(reports)]

    with run.stopping:
        results, errors = fan_out(list(agents.values()), stop_on, _max_workers(configuration))
    return {h: results[h] for h in sorted(results)}, errors


def halt_all(
    targets: List[str] = None,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, List[Dict[str, Any]]]:
    """
    The big red button: stop every running attack on the given agents
    (default: all configured), whoever started it. Returns the reports of
    the attacks stopped, by host.
    """
    run = current_run((configuration or {}).get("stressd_run_id"))
    agents = select_agents(configuration, secrets, targets)

    def halt(agent: Agent) -> List[Dict[str, Any]]:
        reports = agent.halt()
        for a in run.list(hosts=[agent.name], running_only=True):
            run.ended(a, next((r for r in reports if r.get("id") == a.id), None))
        return reports

    results, errors = fan_out(agents, halt, _max_workers(configuration))
    if errors:
        raise ActivityFailed(failure_message("halting every attack", errors))
    return {h: results[h] for h in sorted(results)}


def stop_lease_renewal(
    configuration: Configuration = None, secrets: Secrets = None
) -> Dict[str, Any]:
    """
    Stop renewing this run's leases, as if the orchestrator had gone away:
    running attacks stop by themselves when their leases run out (the
    agent's dead-man switch). Renewal does not resume in this run.
    Returns the attacks still believed running and their lease length.
    """
    run = current_run((configuration or {}).get("stressd_run_id"))
    run.stop_renewer()
    return {
        "run": run.id,
        "running": [a.as_dict() for a in run.list(running_only=True)],
    }
