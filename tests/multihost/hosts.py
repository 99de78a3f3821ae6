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
import os
import re
import secrets as pysecrets
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional

from harness import leftovers
from harness.serve import ServeAgent, ServerTLS
from harness.teardown import end

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
def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class HostAgent(ServeAgent):
    """A `stressd serve` in namespace `ns` (None: this machine's), listening
    on `ip:7070` over TLS with a certificate for that address."""

    def __init__(self, name: str, base: Path, binary: str, ns: Optional[str], ip: str,
                 ca: CA, max_attacks: Optional[int] = None, max_duration: str = "5m"):
        self.ns, self.ip, self.ca_cert = ns, ip, ca.cert
        cert, key = ca.server(name, ip)
        # nsenter --net only: the agent joins the namespace's network and
        # keeps this machine's mounts, /sys included, so it sees the
        # cgroups (`ip netns exec` remounts /sys, which hides them)
        super().__init__(
            binary, base / name, config=f'[policy]\nmax-duration = "{max_duration}"\n',
            args=[] if max_attacks is None else ["--max-attacks", str(max_attacks)],
            host=ip, port=PORT, tls=ServerTLS(cert, key, ca.cert),
            wrap=None if ns is None else (lambda command: ["nsenter", f"--net=/run/netns/{ns}", *command]))

    def entry(self) -> dict:
        """This agent in the extension's `stressd_agents`."""
        return {"url": self.url, "ca": str(self.ca_cert), "token_file": str(self.token_file)}


class Fleet:
    """Agents on a Network (or on loopback ports when `net` is None)."""

    def __init__(self, base: Path, binary: str, net: Optional[Network]):
        self.base, self.binary, self.net = base, binary, net
        self.ca = CA(base)
        self.agents: Dict[str, HostAgent] = {}

    def start(self, n: int, name=lambda i: f"h{i:02d}", special: Dict[int, dict] = None,
              parallel: int = 16) -> List[HostAgent]:
        special = special or {}

        def one(i: int) -> HostAgent:
            ns = self.net.namespace(i) if self.net else None
            ip = self.net.address(i) if self.net else f"127.0.{1 + i // 250}.{1 + i % 250}"
            agent = HostAgent(name(i), self.base, self.binary, ns, ip, self.ca, **special.get(i, {}))
            agent.launch(within=20)
            return agent

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
        """What is not clean on any agent (harness.leftovers)."""
        return leftovers.live(self.agents.values())

    def teardown(self) -> List[str]:
        return end(self.agents.values(), halt=True)


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
