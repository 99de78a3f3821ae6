"""
Many "hosts" on one machine: each a network namespace joined to a bridge in
the root namespace by a veth pair, with its own address, its own
`stressd serve` (over TLS: a CA and a per-host certificate with the host's
IP in its SAN, made by openssl here), its own token file and state
directory. Agents are started with `nsenter --net=/run/netns/NAME`, not
`ip netns exec` (which remounts /sys for the namespace, so the agents saw
no cgroups): they keep this machine's /sys and use its cgroups.

Names carry the owning pytest's pid (`smh-<pid>-h<i>` namespaces,
`smh<pid>...` links), so a crashed earlier run never collides with this one
and its leftovers can be told apart and removed (`remove_stale`).
"""
import json
import os
import re
import secrets as pysecrets
import shutil
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional

PREFIX = "smh"
NS_RE = re.compile(rf"^{PREFIX}-(\d+)-h\d+$")
LINK_RE = re.compile(rf"^{PREFIX}(\d+)(?:br|v\d+|p\d+)$")
PORT = 7070


def sh(*args: str, check: bool = True, input: Optional[str] = None) -> subprocess.CompletedProcess:
    r = subprocess.run(list(args), capture_output=True, text=True, input=input)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    return r


def _pid_alive(pid: int) -> bool:
    return os.path.exists(f"/proc/{pid}")


def remove_stale() -> List[str]:
    """Deletes namespaces and links of ours whose owning process is gone."""
    removed = []
    out = sh("ip", "netns", "list", check=False).stdout
    for line in out.splitlines():
        name = line.split()[0] if line.split() else ""
        m = NS_RE.match(name)
        if m and not _pid_alive(int(m.group(1))):
            sh("ip", "netns", "del", name, check=False)
            removed.append(name)
    out = sh("ip", "-o", "link", "show", check=False).stdout
    for line in out.splitlines():
        parts = line.split(":")
        if len(parts) < 2:
            continue
        name = parts[1].strip().split("@")[0]
        m = LINK_RE.match(name)
        if m and not _pid_alive(int(m.group(1))):
            sh("ip", "link", "del", name, check=False)
            removed.append(name)
    return removed


def _used_subnets() -> set:
    out = sh("ip", "-4", "-o", "addr", "show", check=False).stdout
    return set(re.findall(r"inet (\d+\.\d+\.\d+)\.\d+/", out))


class Network:
    """A bridge in the root namespace and `n` namespaces on it (198.18.X.0/24,
    the benchmarking range: the bridge is .1, host i is .(10+i))."""

    def __init__(self, n: int):
        assert 1 <= n <= 240
        self.pid = os.getpid()
        self.bridge = f"{PREFIX}{self.pid}br"
        used = _used_subnets()
        third = next(
            x for x in [(self.pid + k) % 256 for k in range(256)]
            if f"198.18.{x}" not in used
        )
        self.subnet = f"198.18.{third}"
        self.gateway = f"{self.subnet}.1"
        self.namespaces: List[str] = []
        self.links: List[str] = []
        self.n = n

    def address(self, i: int) -> str:
        return f"{self.subnet}.{10 + i}"

    def namespace(self, i: int) -> str:
        return f"{PREFIX}-{self.pid}-h{i}"

    def create(self) -> None:
        # root-side commands in one `ip -batch`; namespace-side with `ip -n`
        # (also batched): a few processes instead of ~8 per host
        root = [f"link add {self.bridge} type bridge"]
        self.links.append(self.bridge)
        for i in range(self.n):
            ns = self.namespace(i)
            sh("ip", "netns", "add", ns)
            self.namespaces.append(ns)
            v, p = f"{PREFIX}{self.pid}v{i}", f"{PREFIX}{self.pid}p{i}"
            root += [
                f"link add {v} type veth peer name {p}",
                f"link set {p} netns {ns}",
                f"link set {v} master {self.bridge}",
                f"link set {v} up",
            ]
            self.links.append(v)
        root += [
            f"addr add {self.gateway}/24 dev {self.bridge}",
            f"link set {self.bridge} up",
        ]
        sh("ip", "-batch", "-", input="\n".join(root) + "\n")
        for i in range(self.n):
            ns, p = self.namespace(i), f"{PREFIX}{self.pid}p{i}"
            sh("ip", "-n", ns, "-batch", "-", input="\n".join([
                "link set lo up",
                f"link set {p} name eth0",
                f"addr add {self.address(i)}/24 dev eth0",
                "link set eth0 up",
            ]) + "\n")

    def destroy(self) -> List[str]:
        problems = []
        for ns in self.namespaces:
            r = sh("ip", "netns", "del", ns, check=False)
            if r.returncode != 0 and "No such file" not in r.stderr:
                problems.append(f"ip netns del {ns}: {r.stderr.strip()}")
        # a veth goes with its peer's namespace; the bridge is ours to delete
        for link in self.links:
            sh("ip", "link", "del", link, check=False)
        left = [l for l in sh("ip", "-o", "link", "show").stdout.splitlines()
                if f"{PREFIX}{self.pid}" in l]
        left_ns = [l for l in sh("ip", "netns", "list").stdout.splitlines()
                   if l.startswith(f"{PREFIX}-{self.pid}-")]
        if left or left_ns:
            problems.append(f"network left: {left + left_ns}")
        return problems


class CA:
    """A throwaway CA and per-host server certificates (EC P-256, 1 day)."""

    def __init__(self, base: Path):
        self.dir = base / "tls"
        self.dir.mkdir(mode=0o700)
        self.cert = self.dir / "ca.pem"
        self.key = self.dir / "ca.key"
        sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
           "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
           "-subj", "/CN=stressd multihost test CA",
           "-addext", "basicConstraints=critical,CA:TRUE",
           "-addext", "keyUsage=critical,keyCertSign,cRLSign",
           "-keyout", str(self.key), "-out", str(self.cert))

    def server(self, name: str, ip: str):
        key, csr, pem = (self.dir / f"{name}.key", self.dir / f"{name}.csr",
                         self.dir / f"{name}.pem")
        ext = self.dir / f"{name}.ext"
        ext.write_text(
            f"subjectAltName=IP:{ip}\nbasicConstraints=CA:FALSE\n"
            "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
        )
        sh("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
           "-nodes", "-subj", f"/CN={name}", "-keyout", str(key), "-out", str(csr))
        sh("openssl", "x509", "-req", "-in", str(csr), "-CA", str(self.cert),
           "-CAkey", str(self.key), "-set_serial", "0x" + pysecrets.token_hex(16),
           "-days", "1",
           "-extfile", str(ext), "-out", str(pem))
        os.chmod(key, 0o600)
        return pem, key


# -- a stressd agent in a namespace --------------------------------------------
def proc_cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def proc_stat(pid: int):
    try:
        with open(f"/proc/{pid}/stat") as f:
            rest = f.read().rsplit(")", 1)[1].split()
        return rest[0], int(rest[1])  # state, ppid
    except (OSError, IndexError, ValueError):
        return None, None


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def processes_of(agent_pids: Dict[int, str]) -> Dict[int, List[str]]:
    """Live processes each agent started: descendants, or naming it as
    `--parent PID`, or naming its state directory (one /proc walk for all)."""
    pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    info = {p: proc_stat(p) for p in pids}
    out: Dict[int, List[str]] = {a: [] for a in agent_pids}
    for p in pids:
        state, _ = info[p]
        if state in (None, "Z") or p in agent_pids:
            continue
        cmd = proc_cmdline(p)
        chain, q = set(), p
        for _ in range(64):
            _, pp = info.get(q, (None, None))
            if pp is None or pp in chain:
                break
            chain.add(pp)
            q = pp
        for a, state_dir in agent_pids.items():
            if a in chain or f"--parent {a} " in cmd + " " or (
                state_dir in cmd and "stressd" in cmd
            ):
                out[a].append(f"{p}: {cmd.strip()}")
    return out


LOG_LINE = re.compile(r'^ts=(\S+) level=(\S+) msg="([^"]*)"(.*)$')


def parse_ts(ts: str) -> float:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=timezone.utc).timestamp()


class AgentProc:
    """One `stressd serve` in namespace `ns`, listening on `ip:7070` (TLS)."""

    def __init__(self, name: str, base: Path, binary: str, ns: Optional[str], ip: str,
                 ca: CA, max_attacks: Optional[int] = None, max_duration: str = "5m"):
        self.name, self.ns, self.ip = name, ns, ip
        self.dir = base / name
        self.dir.mkdir(mode=0o700)
        self.state_dir = self.dir / "state"
        self.state_dir.mkdir(mode=0o700)
        self.token = pysecrets.token_hex(32)
        self.token_file = self.dir / "token"
        fd = os.open(self.token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self.token + "\n")
        self.config = self.dir / "stressd.toml"
        self.config.write_text(f'[policy]\nmax-duration = "{max_duration}"\n')
        os.chmod(self.config, 0o600)
        self.cert, self.key = ca.server(name, ip)
        self.ca = ca
        self.url = f"https://{ip}:{PORT}"
        # nsenter --net only: the agent joins the namespace's network and
        # keeps this machine's mounts, /sys included, so it sees the
        # cgroups (`ip netns exec` remounts /sys, which hides them)
        args = ([] if ns is None else ["nsenter", f"--net=/run/netns/{ns}"]) + [
            binary, "serve",
            "--listen", f"{ip}:{PORT}",
            "--tls-cert", str(self.cert), "--tls-key", str(self.key),
            "--token-file", str(self.token_file),
            "--state-dir", str(self.state_dir),
            "--config", str(self.config),
            "--log-level", "info",
        ]
        if max_attacks is not None:
            args += ["--max-attacks", str(max_attacks)]
        self.log_path = self.dir / "serve.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self._ctx = ssl.create_default_context(cafile=str(ca.cert))

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_healthy(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"agent {self.name} exited: {self.log_text()}")
            try:
                status, _ = self.api("GET", "/healthz", auth=False, timeout=1)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"agent {self.name} not healthy in {timeout}s: {self.log_text()}")

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def events(self) -> List[dict]:
        """The agent's log lines: {ts (epoch s, ms precision), msg, fields}."""
        out = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            m = LOG_LINE.match(line)
            if not m:
                continue
            fields = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', m.group(4)))
            out.append({"ts": parse_ts(m.group(1)), "level": m.group(2),
                        "msg": m.group(3),
                        **{k: v.strip('"') for k, v in fields.items()}})
        return out

    def api(self, method: str, path: str, body=None, auth: bool = True, timeout: float = 10):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if auth:
            req.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout, context=self._ctx) as r:
                raw = r.read()
                try:
                    return r.status, (json.loads(raw) if raw else None)
                except ValueError:
                    return r.status, raw.decode(errors="replace")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw.decode(errors="replace")

    def attacks(self, label: Optional[str] = None) -> list:
        path = "/v1/attacks" + (f"?label={label}" if label else "")
        status, body = self.api("GET", path)
        assert status == 200, (self.name, status, body)
        return body

    def ledger_records(self) -> List[str]:
        d = self.state_dir / "ledger"
        return sorted(p.name for p in d.glob("*.json")) if d.exists() else []

    def entry(self) -> dict:
        """This agent in the extension's `stressd_agents`."""
        return {"url": self.url, "ca": str(self.ca.cert), "token_file": str(self.token_file)}

    def stop(self, timeout: float = 15) -> List[str]:
        problems = []
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                problems.append(f"{self.name}: did not exit {timeout}s after SIGTERM")
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return problems


class Fleet:
    """Agents on a Network (or on loopback ports when `net` is None)."""

    def __init__(self, base: Path, binary: str, net: Optional[Network]):
        self.base, self.binary, self.net = base, binary, net
        self.ca = CA(base)
        self.agents: Dict[str, AgentProc] = {}

    def start(self, n: int, name=lambda i: f"h{i:02d}", special: Dict[int, dict] = None,
              parallel: int = 16) -> List[AgentProc]:
        special = special or {}

        def one(i: int) -> AgentProc:
            ns = self.net.namespace(i) if self.net else None
            ip = self.net.address(i) if self.net else f"127.0.{1 + i // 250}.{1 + i % 250}"
            return AgentProc(name(i), self.base, self.binary, ns, ip, self.ca,
                             **special.get(i, {}))

        with ThreadPoolExecutor(parallel) as pool:
            futures = [pool.submit(one, i) for i in range(n)]
            errors = []
            for f in futures:
                try:
                    a = f.result()
                    self.agents[a.name] = a
                except Exception as x:
                    errors.append(x)
            if errors:
                raise errors[0]
            list(pool.map(lambda a: a.wait_healthy(), self.agents.values()))
        return list(self.agents.values())

    def configuration(self, names=None, **extra) -> dict:
        names = names or sorted(self.agents)
        conf = {"stressd_agents": {n: self.agents[n].entry() for n in names},
                "stressd_lease": "3s", "stressd_timeout": 10}
        conf.update(extra)
        return conf

    def rss_kib(self) -> int:
        return sum(rss_kib(a.pid) for a in self.agents.values())

    def leftovers(self) -> List[str]:
        """What is not clean on any agent: running attacks, ledger records,
        processes of theirs."""
        problems = []

        def check(a: AgentProc) -> List[str]:
            p = []
            if a.proc.poll() is None:
                try:
                    running = [x["id"] for x in a.attacks() if x.get("state") == "running"]
                    if running:
                        p.append(f"{a.name}: running attacks {running}")
                except OSError as x:
                    p.append(f"{a.name}: API unreachable: {x}")
            if a.ledger_records():
                p.append(f"{a.name}: ledger records {a.ledger_records()}")
            return p

        with ThreadPoolExecutor(16) as pool:
            for p in pool.map(check, self.agents.values()):
                problems += p
        procs = processes_of({a.pid: str(a.state_dir) for a in self.agents.values()})
        for a in self.agents.values():
            if procs[a.pid]:
                problems.append(f"{a.name}: processes left {procs[a.pid]}")
        return problems

    def teardown(self) -> List[str]:
        problems = []
        for a in self.agents.values():
            if a.proc.poll() is None:
                try:
                    a.api("DELETE", "/v1/attacks", timeout=5)
                except OSError:
                    pass
        problems += self.leftovers()
        with ThreadPoolExecutor(16) as pool:
            for p in pool.map(lambda a: a.stop(), self.agents.values()):
                problems += p
        # nothing of theirs outlives them; kill what does (ours only: by pid)
        deadline = time.monotonic() + 3
        while True:
            procs = processes_of({a.pid: str(a.state_dir) for a in self.agents.values()})
            left = [(a, p) for a, ps in procs.items() for p in ps]
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        for a, p in left:
            problems.append(f"after SIGTERM, agent {a} left {p}")
            try:
                os.kill(int(p.split(":")[0]), signal.SIGKILL)
            except OSError:
                pass
        return problems


def stressd_bin() -> Optional[str]:
    for c in (os.environ.get("STRESSD_BIN"), "/tmp/mh-stressd", "/tmp/stressd-labels/stressd"):
        if c and os.access(c, os.X_OK):
            return c
    return None


def percentiles(xs: List[float]) -> Dict[str, float]:
    s = sorted(xs)
    if not s:
        return {}
    def q(p):
        return s[min(len(s) - 1, max(0, int(round(p * (len(s) - 1)))))]
    return {"n": len(s), "min": s[0], "p50": q(0.5), "p90": q(0.9), "max": s[-1]}


def have_root_netns() -> Optional[str]:
    if os.geteuid() != 0:
        return "needs root (network namespaces)"
    if not shutil.which("ip") or not shutil.which("openssl"):
        return "needs iproute2 and openssl"
    return None
