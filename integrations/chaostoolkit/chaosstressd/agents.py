"""
The agents an experiment names, and a small HTTP client for each.

Configuration (the experiment's `configuration` block):

    "stressd_agents": {
        "web-1": "http://127.0.0.1:7070",             # shorthand: a URL
        "web-2": {
            "url": "https://10.0.0.2:7070",
            "ca": "/etc/stressd/tls/ca.pem",           # verify the agent with this CA
            "cert": "/etc/stressd/tls/client.pem",     # mutual TLS (optional)
            "key": "/etc/stressd/tls/client.key",
            "token_file": "/etc/stressd/web-2.token",  # this agent's own token
            "timeout": 10                              # seconds per request
        }
    },
    "stressd_token_file": "~/.stressd-token",          # token of every agent
    "stressd_lease": "10s",
    "stressd_timeout": 10,
    "stressd_max_workers": 16

Secrets: `{"stressd": {"token": "...", "tokens": {"web-2": "..."}}}`.
A per-agent secret token wins over the shared secret token, which wins over
the agent's `token_file`, which wins over `stressd_token_file`.
"""
import ipaddress
import json
import logging
import os
import re
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import quote, urlsplit

import requests
from chaoslib.exceptions import ActivityFailed
from chaoslib.types import Configuration, Secrets

from .server_owner import CheckedAdapter

__all__ = [
    "Agent",
    "AgentError",
    "agents_from_configuration",
    "fan_out",
    "failure_message",
    "parse_duration",
]

logger = logging.getLogger("chaostoolkit")

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_WORKERS = 16
DEFAULT_PORT = 7070
#: a kept connection is used again only this long after its last request:
#: the agent closes connections idle for 10 s, so one idle for 5 s is still
#: open (lease renewals every lease/3 keep a busy agent's connection warm)
KEEPALIVE_REUSE_SECONDS = 5.0
#: idle sessions (each one kept-alive connection) kept per agent
KEEP_IDLE_SESSIONS = 4


class AgentError(Exception):
    """A request to one agent failed: the agent said no, or could not be
    reached. `str()` is a sentence a person can act on, naming the host."""

    def __init__(
        self,
        host: str,
        url: str,
        message: str,
        status: Optional[int] = None,
        detail: Optional[str] = None,
        field: Optional[str] = None,
    ):
        self.host = host
        self.url = url
        self.status = status
        self.detail = detail
        self.field = field
        self.message = message
        super().__init__(f"agent '{host}' ({url}): {message}")


class _Sessions:
    """The HTTP sessions of one agent, each one kept-alive connection
    (pool size 1) used by one thread at a time: a thread takes an idle one
    (the most recently used) or makes a new one, and gives it back after
    its request. requests.Session is not strictly thread-safe, so no two
    threads share one; as many connections as requests in flight to the
    agent, and at most KEEP_IDLE_SESSIONS of them kept between requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: List[Tuple[requests.Session, float]] = []  # (session, last used)
        self.made = 0  # sessions made, i.e. connections opened at most

    def take(self) -> Tuple[requests.Session, bool]:
        """A session, and whether it has a connection that was used before."""
        now = time.monotonic()
        stale = []
        with self._lock:
            found = None
            while self._idle:
                session, used = self._idle.pop()
                if now - used < KEEPALIVE_REUSE_SECONDS:
                    found = session
                    break
                stale.append(session)
            # the others idle longer still: past reuse once this one is
            while self._idle and now - self._idle[0][1] >= KEEPALIVE_REUSE_SECONDS:
                stale.append(self._idle.pop(0)[0])
            if found is None:
                self.made += 1
        for old in stale:
            old.close()
        if found is not None:
            return found, True
        session = requests.Session()
        # Straight to the agent, never through a proxy from the environment,
        # whose connections would skip the owner check (server_owner.py).
        session.trust_env = False
        adapter = CheckedAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session, False

    def give_back(self, session: requests.Session) -> None:
        with self._lock:
            if len(self._idle) < KEEP_IDLE_SESSIONS:
                self._idle.append((session, time.monotonic()))
                return
        session.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for session, _ in idle:
            session.close()


class Agent:
    """One stressd agent: its name in the experiment, its URL, TLS and token.
    Requests go over kept-alive connections (one requests.Session per
    request in flight, see _Sessions), so a renewal or a stop on an agent
    already talked to costs no TLS handshake."""

    def __init__(
        self,
        name: str,
        url: str,
        token: Optional[str],
        verify: Any = True,
        cert: Optional[Tuple[str, str]] = None,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        self.name = name
        self.url = url.rstrip("/")
        self.token = token
        self.verify = verify
        self.cert = cert
        self.timeout = timeout
        self.sessions = _Sessions()

    def __repr__(self) -> str:  # never the token
        return f"Agent({self.name!r}, {self.url!r})"

    # -- HTTP ---------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: Optional[List[Tuple[str, str]]] = None,
        timeout: Optional[float] = None,
        idempotent: Optional[bool] = None,
        accept: str = "application/json",
    ) -> Any:
        """Sends one request; returns the decoded JSON answer (None if empty;
        with another `accept`, the body as text) or raises AgentError naming
        this host and what went wrong.

        An `idempotent` request (GET and DELETE by default) that fails on a
        kept-alive connection the agent closed in the meantime is sent once
        more on a new connection; a start (POST /v1/attacks) never is."""
        if idempotent is None:
            idempotent = method in ("GET", "HEAD", "DELETE")
        headers = {"Accept": accept}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body)
        url = self.url + path
        if params:
            url += "?" + "&".join(
                f"{quote(k, safe='')}={quote(v, safe='=/:')}" for k, v in params
            )
        timeout = timeout or self.timeout
        while True:
            session, reused = self.sessions.take()
            try:
                r = session.request(
                    method,
                    url,
                    data=data,
                    headers=headers,
                    verify=self.verify,
                    cert=self.cert,
                    timeout=timeout,
                    allow_redirects=False,
                )
                content = r.content  # read whole: the connection goes back to the pool
            except requests.exceptions.RequestException as x:
                session.close()
                if (
                    reused
                    and idempotent
                    and isinstance(x, requests.exceptions.ConnectionError)
                    and not isinstance(x, (requests.exceptions.Timeout, requests.exceptions.SSLError))
                ):
                    # most likely the agent closed the kept connection as we
                    # sent: once more on a new one
                    idempotent = False
                    continue
                raise self._transport_error(x, method, path, timeout)
            self.sessions.give_back(session)
            break

        if 200 <= r.status_code < 300:
            if accept != "application/json":
                return content.decode("utf-8", errors="replace")
            if not content:
                return None
            try:
                return r.json()
            except ValueError:
                raise AgentError(
                    self.name,
                    self.url,
                    f"{method} {path}: HTTP {r.status_code} with a body that "
                    "is not JSON (is this a stressd agent?)",
                    status=r.status_code,
                )
        raise _problem_error(self, method, path, r)

    def _transport_error(
        self, x: BaseException, method: str, path: str, timeout: float
    ) -> "AgentError":
        if isinstance(x, requests.exceptions.SSLError):
            return AgentError(self.name, self.url, f"TLS failed: {_root(x)}")
        if isinstance(x, requests.exceptions.ConnectTimeout):
            return AgentError(
                self.name, self.url, f"no connection within {timeout:g}s (timed out)"
            )
        if isinstance(x, requests.exceptions.ReadTimeout):
            return AgentError(
                self.name,
                self.url,
                f"no answer to {method} {path} within {timeout:g}s (timed out)",
            )
        if isinstance(x, requests.exceptions.ConnectionError):
            text = _root(x)
            if "refused" in text.lower():
                text = "connection refused (is `stressd serve` running there?)"
            return AgentError(self.name, self.url, f"cannot connect: {text}")
        return AgentError(self.name, self.url, f"request failed: {_root(x)}")

    # -- the routes -----------------------------------------------------------
    def start(self, body: Dict[str, Any]) -> Dict[str, Any]:
        return self.request("POST", "/v1/attacks", body)

    def get(self, attack_id: str) -> Dict[str, Any]:
        return self.request("GET", f"/v1/attacks/{quote(attack_id, safe='')}")

    def stop(self, attack_id: str) -> Dict[str, Any]:
        """Stops one attack and returns its report (a finished attack's report
        as it is; an attack the agent no longer lists, from its reports)."""
        try:
            return self.request("DELETE", f"/v1/attacks/{quote(attack_id, safe='')}")
        except AgentError as x:
            if x.status in (404, 409):
                return self.report(attack_id)
            raise

    def renew(self, attack_id: str, timeout: Optional[float] = None) -> Dict[str, Any]:
        # renewing a lease twice is harmless: sent again on a closed connection
        return self.request(
            "POST",
            f"/v1/attacks/{quote(attack_id, safe='')}/lease",
            timeout=timeout,
            idempotent=True,
        )

    def report(self, attack_id: str) -> Dict[str, Any]:
        return self.request("GET", f"/v1/reports/{quote(attack_id, safe='')}")

    def chart(self, attack_id: str) -> str:
        """The report drawn as an SVG chart (`GET /v1/reports/{id}.svg`)."""
        return self.request("GET", f"/v1/reports/{quote(attack_id, safe='')}.svg", accept="image/svg+xml")

    def list(
        self,
        labels: Optional[Dict[str, str]] = None,
        state: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        params = []
        if state:
            params.append(("state", state))
        for k, v in sorted((labels or {}).items()):
            params.append(("label", f"{k}={v}"))
        return self.request("GET", "/v1/attacks", params=params) or []

    def halt(self, labels: Optional[Dict[str, str]] = None) -> List[Dict[str, Any]]:
        params = [("label", f"{k}={v}") for k, v in sorted((labels or {}).items())]
        # never sent twice: a second halt finds nothing running and answers
        # none of the reports the first one stopped
        return self.request("DELETE", "/v1/attacks", params=params, idempotent=False) or []

    def stop_labelled(self, labels: Dict[str, str]) -> List[Dict[str, Any]]:
        """Stops every running attack that carries all of `labels` and returns
        their reports: one request, `DELETE /v1/attacks?label=k=v...` (the
        agent refuses a query parameter it does not know, so the filter is
        never dropped and the halt never widens). An agent that answers 400
        to it (one without label-scoped halts) gets the list filtered here
        too, by the labels each summary echoes, and a stop per attack."""
        try:
            reports = self.halt(labels)
        except AgentError as x:
            if x.status != 400:
                raise
            return self._stop_listed(labels)
        for r in reports:
            have = ((r or {}).get("spec") or {}).get("labels") or {}
            if any(have.get(k) != v for k, v in labels.items()):
                logger.error(
                    "agent '%s' stopped %s, which does not carry %s",
                    self.name,
                    (r or {}).get("id"),
                    labels,
                )
        return reports

    def _stop_listed(self, labels: Dict[str, str]) -> List[Dict[str, Any]]:
        reports = []
        for s in self.list(labels=labels, state="running"):
            have = s.get("labels") or {}
            if s.get("state") != "running":
                continue
            if any(have.get(k) != v for k, v in labels.items()):
                continue
            reports.append(self.stop(s["id"]))
        return reports

    def host(self) -> Dict[str, Any]:
        return self.request("GET", "/v1/host")


def _root(x: BaseException) -> str:
    """The innermost reason of a requests/urllib3 exception, without the
    wrapper noise (`HTTPConnectionPool(host=...): Max retries exceeded`)."""
    seen = x
    while True:
        nxt = None
        if seen.args and isinstance(seen.args[0], BaseException):
            nxt = seen.args[0]
        elif getattr(seen, "reason", None) is not None and isinstance(
            seen.reason, BaseException
        ):
            nxt = seen.reason
        elif seen.__cause__ is not None:
            nxt = seen.__cause__
        if nxt is None or nxt is seen:
            break
        seen = nxt
    text = str(seen)
    m = re.search(r"\[Errno -?\d+\] (.*)$", text)
    if m:
        return m.group(1).strip("')\" ")
    return re.sub(r"^<[^>]+>: ", "", text)


def _problem_error(agent: Agent, method: str, path: str, r) -> AgentError:
    detail = field = None
    try:
        problem = r.json()
        if isinstance(problem, dict):
            detail = problem.get("detail") or problem.get("title")
            field = problem.get("field")
    except ValueError:
        text = (r.text or "").strip()
        detail = text[:300] if text else None
    msg = f"{method} {path}: HTTP {r.status_code}"
    if r.status_code == 401:
        msg += ": the agent refused the bearer token (wrong or missing token)"
        if detail:
            msg += f" ({detail})"
    elif detail:
        msg += f": {detail}"
    if field:
        msg += f" (field '{field}')"
    return AgentError(
        agent.name, agent.url, msg, status=r.status_code, detail=detail, field=field
    )


# -- configuration ----------------------------------------------------------
def parse_duration(value: Any) -> float:
    """Seconds in a stressd duration: `250ms`, `30s`, `5m`, `1h30m`, or a
    number of seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    parts = re.findall(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)", text)
    if not parts or "".join(a + b for a, b in parts) != text.replace(" ", ""):
        raise ActivityFailed(
            f"'{value}' is not a duration: use e.g. 250ms, 10s, 5m, 1h30m"
        )
    unit = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    return sum(float(a) * unit[b] for a, b in parts)


def _read_token_file(path: str, whose: str) -> str:
    path = os.path.expanduser(path)
    try:
        st = os.lstat(path)
    except OSError as x:
        raise ActivityFailed(f"{whose}: cannot read token file {path}: {x.strerror}")
    if not stat.S_ISREG(st.st_mode):
        raise ActivityFailed(f"{whose}: token file {path} is not a regular file")
    if st.st_mode & 0o077:
        raise ActivityFailed(
            f"{whose}: token file {path} may be read by others "
            f"(mode {stat.S_IMODE(st.st_mode):04o}); chmod 600 it"
        )
    try:
        with open(path, "r", encoding="utf-8") as f:
            token = f.read(4097).strip()
    except OSError as x:
        raise ActivityFailed(f"{whose}: cannot read token file {path}: {x.strerror}")
    if not token:
        raise ActivityFailed(f"{whose}: token file {path} is empty")
    return token


def _secret_tokens(secrets: Secrets) -> Tuple[Optional[str], Dict[str, str]]:
    """The shared token and per-agent tokens from secrets, flattened (an
    activity whose provider names `"secrets": ["stressd"]`) or nested (a
    control, which sees every secret scope)."""
    if not secrets:
        return None, {}
    scopes = [secrets]
    if isinstance(secrets.get("stressd"), dict):
        scopes.insert(0, secrets["stressd"])
    token = None
    tokens: Dict[str, str] = {}
    for s in scopes:
        token = token or s.get("token") or s.get("stressd_token")
        per = s.get("tokens") or s.get("stressd_tokens")
        if isinstance(per, dict):
            for k, v in per.items():
                tokens.setdefault(k, v)
    return token, tokens


def _is_loopback(hostname: str) -> bool:
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def agents_from_configuration(
    configuration: Configuration, secrets: Secrets = None
) -> Dict[str, Agent]:
    """Every agent named in `stressd_agents`, in name order, with its token
    resolved; raises ActivityFailed on a configuration a person must fix."""
    configuration = configuration or {}
    spec = configuration.get("stressd_agents")
    if not spec or not isinstance(spec, dict):
        raise ActivityFailed(
            "no stressd agents configured: set configuration "
            '"stressd_agents": {"NAME": "http://HOST:7070", ...}'
        )
    shared_token, per_token = _secret_tokens(secrets)
    default_timeout = float(configuration.get("stressd_timeout", DEFAULT_TIMEOUT))
    default_file = configuration.get("stressd_token_file")
    agents: Dict[str, Agent] = {}
    for name in sorted(spec):
        entry = spec[name]
        if isinstance(entry, str):
            entry = {"url": entry}
        if not isinstance(entry, dict) or not entry.get("url"):
            raise ActivityFailed(
                f"stressd agent '{name}': expected a URL or an object with 'url'"
            )
        url = str(entry["url"])
        if "://" not in url:
            url = "http://" + url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ActivityFailed(f"stressd agent '{name}': bad URL '{entry['url']}'")
        if parts.port is None:
            url = f"{parts.scheme}://{parts.netloc}:{DEFAULT_PORT}{parts.path}"
        token = per_token.get(name) or shared_token
        if not token and entry.get("token_file"):
            token = _read_token_file(entry["token_file"], f"stressd agent '{name}'")
        if not token and default_file:
            token = _read_token_file(default_file, f"stressd agent '{name}'")
        if not token:
            raise ActivityFailed(
                f"stressd agent '{name}': no token: set secrets "
                '"stressd": {"token": ...} (and "secrets": ["stressd"] in the '
                'provider) or configuration "stressd_token_file"'
            )
        allow_clear = entry.get(
            "allow_cleartext", configuration.get("stressd_allow_cleartext", False)
        )
        if parts.scheme == "http" and not _is_loopback(parts.hostname) and not allow_clear:
            raise ActivityFailed(
                f"stressd agent '{name}': refusing to send the token over plain "
                f"http to {parts.hostname}, which is not loopback: use https "
                '(or "allow_cleartext": true)'
            )
        ca = entry.get("ca", configuration.get("stressd_ca"))
        verify: Any = entry.get("verify", True)
        if verify is not False and ca:
            verify = os.path.expanduser(ca)
        cert_file = entry.get("cert", configuration.get("stressd_cert"))
        key_file = entry.get("key", configuration.get("stressd_key"))
        cert = None
        if cert_file:
            cert = (
                os.path.expanduser(cert_file),
                os.path.expanduser(key_file) if key_file else None,
            )
            if cert[1] is None:
                cert = cert[0]
        agents[name] = _shared_agent(
            name,
            url,
            token,
            verify,
            cert,
            float(entry.get("timeout", default_timeout)),
        )
    return agents


_agents_lock = threading.Lock()
_agents: Dict[tuple, Agent] = {}


def _shared_agent(name, url, token, verify, cert, timeout) -> Agent:
    """One Agent (and so one set of kept-alive connections) per distinct
    entry in this process: every activity, the renewer and the control of
    an experiment reuse the connections the first one opened."""
    key = (name, url, token, verify, cert, timeout)
    with _agents_lock:
        agent = _agents.get(key)
        if agent is None:
            agent = _agents[key] = Agent(
                name, url, token, verify=verify, cert=cert, timeout=timeout
            )
        return agent


def fan_out(
    agents: List[Agent],
    call: Callable[[Agent], Any],
    max_workers: int = DEFAULT_MAX_WORKERS,
) -> Tuple[Dict[str, Any], Dict[str, BaseException]]:
    """Calls `call(agent)` for every agent in parallel on a bounded pool;
    returns (results by name, errors by name)."""
    results: Dict[str, Any] = {}
    errors: Dict[str, BaseException] = {}
    if not agents:
        return results, errors
    with ThreadPoolExecutor(
        max_workers=max(1, min(max_workers, len(agents))),
        thread_name_prefix="chaosstressd",
    ) as pool:
        futures = {a.name: pool.submit(call, a) for a in agents}
        for name, f in futures.items():
            try:
                results[name] = f.result()
            except Exception as x:  # every error is reported per host
                errors[name] = x
    return results, errors


def failure_message(what: str, errors: Dict[str, BaseException]) -> str:
    """One message naming each host that failed and why."""
    lines = [f"{what} failed on {len(errors)} agent(s):"]
    for name in sorted(errors):
        x = errors[name]
        if isinstance(x, AgentError):
            lines.append(f"  - {x}")
        else:
            lines.append(f"  - agent '{name}': {type(x).__name__}: {x}")
    return "\n".join(lines)
