"""The process table as the harness reads it, from /proc."""
import os
from typing import Dict, List, NamedTuple, Optional, Set


class Proc(NamedTuple):
    state: str   # R, S, T, Z...
    ppid: int
    start: int   # clock ticks after boot: with the pid, the process's identity
    argv: List[str]

    @property
    def cmdline(self) -> str:
        return " ".join(self.argv)


def read(pid: int) -> Optional[Proc]:
    """The process, or None when it is gone. /proc/PID/stat is split after
    the last `)`: a command name may hold spaces and parentheses."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
        return Proc(fields[0], int(fields[1]), int(fields[19]), argv)
    except (OSError, IndexError, ValueError):
        return None


def running(pid: int, start: Optional[int] = None) -> Optional[Proc]:
    """The process while it runs (that very one, when `start` is given),
    else None; a zombie has ended."""
    p = read(pid)
    return p if p is not None and p.state not in ("Z", "X") and start in (None, p.start) else None


def snapshot() -> Dict[int, Proc]:
    """Every live process, read once: the checks of many agents share one
    walk of /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            p = read(int(entry))
            if p is not None and p.state not in ("Z", "X"):
                out[int(entry)] = p
    return out


def descendants(root: int, snap: Dict[int, Proc]) -> Set[int]:
    children: Dict[int, List[int]] = {}
    for pid, p in snap.items():
        children.setdefault(p.ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
