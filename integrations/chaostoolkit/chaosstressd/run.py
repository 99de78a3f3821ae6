"""
The state of this experiment run, kept in the `chaos` process: the run id
(and so its label), every attack started, and the lease renewer.

Chaos Toolkit runs every activity and control of an experiment in one
process, so module state is shared by all of them. Everything here is
guarded by one lock; the renewer is a daemon thread, so if `chaos` dies the
renewals stop and the agents stop the attacks when their leases run out.

Renewal: each attack is renewed every lease/3, counted from its own last
renewal, on a bounded pool (RENEW_WORKERS requests at most, whatever the
number of attacks). The renewer thread only schedules: per agent at most
PER_AGENT_TASKS tasks at once, each renewing up to BATCH of that agent's
due attacks one after the other over a kept-alive connection. A renewal
waits at most min(the agent's timeout, lease/3) for its answer, so one that
gets none is retried (every RETRY_SECONDS) well within the lease. An agent
that did not answer gets one task at a time, which gives up at its first
unanswered renewal, and all such agents together hold at most half the
pool: a slow or unreachable host never holds up another host's renewals.
"""
import logging
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional

from .agents import Agent, AgentError

__all__ = [
    "RUN_LABEL",
    "Attack",
    "Run",
    "current_run",
    "new_run",
]

logger = logging.getLogger("chaostoolkit")

#: renewal requests in flight at most (the renewer's pool)
RENEW_WORKERS = 16
#: renewal tasks in flight per agent at most
PER_AGENT_TASKS = 4
#: attacks one renewal task renews, one after the other
BATCH = 25
#: a renewal that failed is tried again this soon (or at lease/3 if sooner)
RETRY_SECONDS = 0.5

#: The label every attack of a run carries: `stressd.chaostoolkit/run=<run id>`.
RUN_LABEL = "stressd.chaostoolkit/run"

_LABEL_KEY = re.compile(r"^[a-z0-9][a-z0-9._/-]{0,62}$")
_LABEL_VALUE = re.compile(r"^[A-Za-z0-9._:/-]{0,63}$")


def valid_label(key: str, value: str) -> Optional[str]:
    """None when the pair is valid for the agent, else why not."""
    if not isinstance(key, str) or not _LABEL_KEY.match(key):
        return f"label key '{key}' must match [a-z0-9][a-z0-9._/-]{{0,62}}"
    if not isinstance(value, str) or not _LABEL_VALUE.match(value):
        return f"label value '{value}' of '{key}' must match [A-Za-z0-9._:/-]{{0,63}}"
    return None


class Attack:
    """One attack this run started."""

    def __init__(
        self,
        host: str,
        agent: Agent,
        attack_id: str,
        kind: str,
        lease_seconds: float,
        accepted: Dict[str, Any],
    ):
        self.host = host
        self.agent = agent
        self.id = attack_id
        self.kind = kind
        self.lease_seconds = lease_seconds
        self.accepted = accepted
        self.started_at = time.time()
        self.running = True  # as far as we know
        self.report: Optional[Dict[str, Any]] = None
        self.last_renewal: float = time.monotonic()
        self.next_renewal: float = self.last_renewal + self.renew_every
        self.renewal_error: Optional[str] = None

    @property
    def renew_every(self) -> float:
        """The renewal period: lease/3."""
        return max(self.lease_seconds / 3.0, 0.1)

    def renew_timeout(self) -> float:
        """How long one renewal waits for its answer: less than the lease,
        so an unanswered one is tried again before the lease runs out."""
        return min(self.agent.timeout, self.renew_every)

    def as_dict(self) -> Dict[str, Any]:
        return {
            "host": self.host,
            "url": self.agent.url,
            "id": self.id,
            "kind": self.kind,
            "lease_seconds": self.lease_seconds,
        }


class Run:
    """One experiment run: its id, its attacks, its lease renewer."""

    def __init__(self, run_id: Optional[str] = None):
        self.id = run_id or uuid.uuid4().hex
        err = valid_label(RUN_LABEL, self.id)
        if err:
            raise ValueError(err)
        self.lock = threading.RLock()
        # one stop of the run at a time: the safeguard probe's and the
        # control's, so the later one finds the earlier one's reports
        self.stopping = threading.Lock()
        # why the run was found unhealthy (the safeguard probe): from then
        # on it starts nothing (set once, under self.lock)
        self.unhealthy: Optional[str] = None
        self.attacks: Dict[tuple, Attack] = {}
        self.agents: Dict[str, Agent] = {}  # every agent this run touched
        self._renewer: Optional[threading.Thread] = None
        self._stop_renewing = threading.Event()
        self._wake = threading.Event()
        self.renewals = 0
        # the renewer's bookkeeping (under self.lock)
        self._renewing: set = set()  # (host, id) of attacks in a task in flight
        self._tasks: Dict[str, int] = {}  # host -> renewal tasks in flight
        self._unanswered: set = set()  # hosts whose last renewal got no answer

    @property
    def labels(self) -> Dict[str, str]:
        return {RUN_LABEL: self.id}

    @property
    def label(self) -> str:
        return f"{RUN_LABEL}={self.id}"

    # -- the registry ----------------------------------------------------------
    def add(self, attack: Attack) -> None:
        with self.lock:
            self.attacks[(attack.host, attack.id)] = attack
            self.agents[attack.host] = attack.agent
        self.ensure_renewer()

    def touched(self, agent: Agent) -> None:
        with self.lock:
            self.agents.setdefault(agent.name, agent)

    def list(self, hosts: Optional[List[str]] = None, running_only: bool = False) -> List[Attack]:
        with self.lock:
            out = [
                a
                for a in self.attacks.values()
                if (hosts is None or a.host in hosts) and (a.running or not running_only)
            ]
        return sorted(out, key=lambda a: (a.host, a.started_at, a.id))

    def find(self, host: str, attack_id: Optional[str] = None) -> Optional[Attack]:
        with self.lock:
            if attack_id:
                return self.attacks.get((host, attack_id))
            mine = [a for a in self.attacks.values() if a.host == host]
        if not mine:
            return None
        return sorted(mine, key=lambda a: a.started_at)[-1]

    def mark_unhealthy(self, reason: str) -> bool:
        """Records why the run is unhealthy; True the first time."""
        with self.lock:
            first = self.unhealthy is None
            if first:
                self.unhealthy = reason
        return first

    def ended(self, attack: Attack, report: Optional[Dict[str, Any]] = None) -> None:
        with self.lock:
            attack.running = False
            if report is not None:
                attack.report = report

    # -- leases ------------------------------------------------------------------
    def ensure_renewer(self) -> None:
        with self.lock:
            if self._stop_renewing.is_set():
                return
            if self._renewer is not None and self._renewer.is_alive():
                self._wake.set()
                return
            self._renewer = threading.Thread(
                target=self._renew_loop,
                name=f"chaosstressd-lease-renewer-{self.id[:8]}",
                daemon=True,
            )
            self._renewer.start()

    def renewing(self) -> bool:
        with self.lock:
            return self._renewer is not None and self._renewer.is_alive()

    def stop_renewer(self, timeout: float = 5.0) -> None:
        """Stops renewing leases: the attacks still running end when their
        leases run out. Renewal does not resume in this run."""
        self._stop_renewing.set()
        self._wake.set()
        with self.lock:
            t = self._renewer
        if t is not None and t is not threading.current_thread():
            t.join(timeout)

    def _renew_loop(self) -> None:
        pool = ThreadPoolExecutor(
            max_workers=RENEW_WORKERS, thread_name_prefix="chaosstressd-renew"
        )
        try:
            while not self._stop_renewing.is_set():
                self._wake.clear()  # a task that ends from here on wakes the wait below
                wait = self._dispatch(pool, time.monotonic())
                self._wake.wait(timeout=max(wait, 0.02))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _dispatch(self, pool: ThreadPoolExecutor, now: float) -> float:
        """Submits the due renewals the limits allow; returns how long to
        sleep until the next one is due (at most 1 s)."""
        wait = 1.0
        with self.lock:
            by_host: Dict[str, List[Attack]] = {}
            for a in self.attacks.values():
                if a.running and (a.host, a.id) not in self._renewing:
                    by_host.setdefault(a.host, []).append(a)
            in_flight = sum(self._tasks.values())
            unanswered_in_flight = sum(
                n for h, n in self._tasks.items() if h in self._unanswered
            )
            # hosts that answer first, then the most overdue
            order = sorted(
                by_host,
                key=lambda h: (
                    h in self._unanswered,
                    min(a.next_renewal for a in by_host[h]),
                ),
            )
            for host in order:
                attacks = sorted(by_host[host], key=lambda a: a.next_renewal)
                due = [a for a in attacks if a.next_renewal <= now]
                later = [a.next_renewal - now for a in attacks if a.next_renewal > now]
                if later:
                    wait = min(wait, min(later))
                if not due:
                    continue
                unanswered = host in self._unanswered
                per_host = 1 if unanswered else PER_AGENT_TASKS
                while due and in_flight < RENEW_WORKERS and self._tasks.get(host, 0) < per_host:
                    if unanswered and unanswered_in_flight >= RENEW_WORKERS // 2:
                        break
                    batch, due = due[:BATCH], due[BATCH:]
                    for a in batch:
                        self._renewing.add((a.host, a.id))
                    self._tasks[host] = self._tasks.get(host, 0) + 1
                    in_flight += 1
                    unanswered_in_flight += unanswered
                    pool.submit(self._renew_batch, host, batch)
        return wait

    def _renew_batch(self, host: str, batch: List[Attack]) -> None:
        try:
            for i, a in enumerate(batch):
                if self._stop_renewing.is_set():
                    return
                if not self._renew_one(a):
                    # no answer: the others would wait as long; they are
                    # tried again with the one that got none
                    with self.lock:
                        for b in batch[i + 1:]:
                            b.next_renewal = max(b.next_renewal, a.next_renewal)
                    return
        except Exception as x:  # never lose the bookkeeping below
            logger.warning("lease renewal on %s failed: %s", host, x)
        finally:
            with self.lock:
                for a in batch:
                    self._renewing.discard((a.host, a.id))
                left = self._tasks.get(host, 1) - 1
                if left:
                    self._tasks[host] = left
                else:
                    self._tasks.pop(host, None)
            self._wake.set()

    def _renew_one(self, a: Attack) -> bool:
        """Renews one lease; False when the agent gave no answer."""
        sent = time.monotonic()
        try:
            a.agent.renew(a.id, timeout=a.renew_timeout())
            with self.lock:
                a.last_renewal = sent
                a.next_renewal = sent + a.renew_every
                a.renewal_error = None
                self.renewals += 1
                self._unanswered.discard(a.host)
            return True
        except AgentError as x:
            if x.status in (404, 409):
                # the attack ended (deadline, guard, stopped elsewhere): no lease to renew
                logger.info(
                    "stressd attack %s on %s has ended; its lease is no longer renewed",
                    a.id,
                    a.host,
                )
                self.ended(a)
                with self.lock:
                    self._unanswered.discard(a.host)
                return True
            with self.lock:
                a.renewal_error = str(x)
                # retry soon rather than at the next full interval
                a.next_renewal = time.monotonic() + min(RETRY_SECONDS, a.renew_every)
                if x.status is None:
                    self._unanswered.add(a.host)
                else:
                    self._unanswered.discard(a.host)
            logger.warning("could not renew the lease of %s: %s", a.id, x)
            return x.status is not None


_lock = threading.Lock()
_current: Optional[Run] = None


def current_run(run_id: Optional[str] = None) -> Run:
    """This process's run, made on first use (an experiment that does not
    load the control still gets one run id)."""
    global _current
    with _lock:
        if _current is None:
            _current = Run(run_id)
        return _current


def new_run(run_id: Optional[str] = None) -> Run:
    """Begins a new run (the control's `before_experiment_control`). The
    previous run's renewer is stopped."""
    global _current
    with _lock:
        old = _current
        _current = Run(run_id)
    if old is not None:
        old.stop_renewer()
    return _current
