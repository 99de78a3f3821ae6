"""
The state of this experiment run, kept in the `chaos` process: the run id
(and so its label), every attack started, and the lease renewer.

Chaos Toolkit runs every activity and control of an experiment in one
process, so module state is shared by all of them. Everything here is
guarded by one lock; the renewer is a daemon thread, so if `chaos` dies the
renewals stop and the agents stop the attacks when their leases run out.
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
        self.renewal_error: Optional[str] = None

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
        self.attacks: Dict[tuple, Attack] = {}
        self.agents: Dict[str, Agent] = {}  # every agent this run touched
        self._renewer: Optional[threading.Thread] = None
        self._stop_renewing = threading.Event()
        self._wake = threading.Event()
        self.renewals = 0

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
        pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="chaosstressd-renew")
        try:
            while not self._stop_renewing.is_set():
                now = time.monotonic()
                due = []
                wait = 1.0
                for a in self.list(running_only=True):
                    interval = max(a.lease_seconds / 3.0, 0.1)
                    left = a.last_renewal + interval - now
                    if left <= 0:
                        due.append(a)
                    else:
                        wait = min(wait, left)
                futures = [(a, pool.submit(self._renew_one, a)) for a in due]
                for a, f in futures:
                    try:
                        f.result()
                    except Exception as x:  # logged, retried at the next tick
                        logger.debug("lease renewal of %s failed: %s", a.id, x)
                if due:
                    wait = min(wait, min(max(a.lease_seconds / 3.0, 0.1) for a in due))
                self._wake.wait(timeout=max(wait, 0.05))
                self._wake.clear()
        finally:
            pool.shutdown(wait=False)

    def _renew_one(self, a: Attack) -> None:
        if self._stop_renewing.is_set():
            return
        try:
            a.agent.renew(a.id)
            with self.lock:
                a.last_renewal = time.monotonic()
                a.renewal_error = None
                self.renewals += 1
        except AgentError as x:
            if x.status in (404, 409):
                # the attack ended (deadline, guard, stopped elsewhere): no lease to renew
                logger.info(
                    "stressd attack %s on %s has ended; its lease is no longer renewed",
                    a.id,
                    a.host,
                )
                self.ended(a)
                return
            with self.lock:
                a.renewal_error = str(x)
                # retry soon rather than at the next full interval
                a.last_renewal = time.monotonic() - a.lease_seconds / 3.0 + 0.5
            logger.warning("could not renew the lease of %s: %s", a.id, x)


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
