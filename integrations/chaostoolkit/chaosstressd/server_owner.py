"""
Who made the server's end of a connection to this host, before a token goes
to it.

An agent's port is anyone's to take while the agent is not running (stopped,
restarting, installed but not enabled): a client that sends its bearer token
to whatever answers on 127.0.0.1:7070 gives the agent's token to the local
user waiting there. The kernel lists every TCP socket of this network
namespace in /proc/net/tcp and tcp6 with the uid that made it, and a
connection's server end takes its listener's uid, even before it is
accepted. The same check as the stressd CLI's (ServerSocketOwner.swift).
"""
import ipaddress
import os
import socket
import sys
from typing import Optional

import urllib3
from requests.adapters import HTTPAdapter

__all__ = ["UntrustedServer", "require_trusted", "CheckedAdapter"]


class UntrustedServer(OSError):
    """The server is a socket of this host that another user made: nothing
    was sent on the connection."""


def _proc_form(address: tuple, family: int) -> Optional[str]:
    """An address as the kernel prints it in /proc/net/tcp (AF_INET) or tcp6
    (AF_INET6): each 32-bit word as it lies in memory, in hexadecimal, a
    colon, the port in hexadecimal. An IPv4 address appears in tcp6 mapped,
    when a dual-stack socket holds it."""
    ip = ipaddress.ip_address(address[0].split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if family == socket.AF_INET:
        if ip.version != 4:
            return None
        packed = ip.packed
    else:
        packed = ip.packed if ip.version == 6 else b"\0" * 10 + b"\xff\xff" + ip.packed
    words = "".join(f"{int.from_bytes(packed[i:i + 4], sys.byteorder):08X}" for i in range(0, len(packed), 4))
    return f"{words}:{address[1]:04X}"


def _is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1, or ::ffff:127.x.y.z."""
    ip = ipaddress.ip_address(host.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def server_uid(local: tuple, remote: tuple) -> Optional[int]:
    """The uid behind the server's end of the connection from `local` to
    `remote`; None when no socket of this network namespace is that end."""
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        server, client = _proc_form(remote, family), _proc_form(local, family)
        if server is None or client is None:
            continue
        try:
            f = open(table)
        except FileNotFoundError:  # no IPv6 in this kernel: no tcp6 table, nothing in it
            continue
        with f:
            next(f)
            for line in f:
                fields = line.split()
                if len(fields) > 7 and fields[1] == server and fields[2] == client:
                    return int(fields[7])
    return None


def _on_this_host(host: str) -> bool:
    """Whether `host` is this host's own address (loopback or one of its
    interfaces'): a socket may be bound to it."""
    if _is_loopback(host):
        return True
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind((host, 0))
            return True
        except OSError:
            return False


def require_trusted(sock: socket.socket) -> None:
    """Returns when the server's end of `sock` is root's or ours, or is on
    another machine; raises UntrustedServer (after closing `sock`) when
    another user made it, or, for a server on this host, when it is not in
    the table in three reads (the server has closed or reset the
    connection already; a read while sockets come and go can skip a line)."""
    local, remote = sock.getsockname(), sock.getpeername()
    local_server = _on_this_host(remote[0])
    try:
        owner = server_uid(local, remote)
        for _ in range(2):
            if owner is not None or not local_server:
                break
            owner = server_uid(local, remote)
    except OSError as x:
        sock.close()
        raise UntrustedServer(f"cannot read who holds {remote[0]}:{remote[1]}: {x}") from x
    if owner in (0, os.geteuid()):
        return
    if owner is None and not local_server:
        return
    sock.close()
    if owner is None:
        raise UntrustedServer(f"the connection to {remote[0]}:{remote[1]} closed before anything was sent")
    raise UntrustedServer(
        f"{remote[0]}:{remote[1]} is held by a socket uid {owner} made, not root or uid {os.geteuid()}: "
        "the agent is not running there (another user took its port); nothing was sent, the token included")


class _CheckedSocket:
    """Checks the raw socket as it is connected, before TLS wraps it: not a
    byte, a ClientHello included, goes to another user's socket."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        require_trusted(sock)
        return sock


class _CheckedHTTPConnection(_CheckedSocket, urllib3.connection.HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedSocket, urllib3.connection.HTTPSConnection):
    pass


class _CheckedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class CheckedAdapter(HTTPAdapter):
    """requests' adapter whose every new connection is checked with
    `require_trusted` before a request goes on it. Sessions using it must
    not take proxies from the environment (`trust_env = False`): a proxy
    pool's connections are not these."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}
