"""Where the cgroup stressd makes for an attack could be."""
import os
from typing import Set

ROOT = "/sys/fs/cgroup"


def places(attack_id: str) -> Set[str]:
    """Every place a `stressd-ID` cgroup could be: below every hierarchy's
    root and below this process's own cgroup in each (stressd makes its
    cgroups below its own, and the agents and one-shots the harness starts
    are children of this process, in its cgroup)."""
    name = f"stressd-{attack_id}"
    paths = set()
    try:
        hierarchies = [h for h in os.listdir(ROOT) if os.path.isdir(os.path.join(ROOT, h))]
    except OSError:
        hierarchies = []
    for h in hierarchies:
        paths.add(os.path.join(ROOT, h, name))
    try:
        with open("/proc/self/cgroup") as f:
            for line in f:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                if controllers == "":
                    dirs = [os.path.join(ROOT, "unified"), ROOT]
                else:
                    dirs = [os.path.join(ROOT, c.replace("name=", "")) for c in controllers.split(",")]
                for d in dirs:
                    paths.add(os.path.normpath(d + path + "/" + name))
    except OSError:
        pass
    return paths


def left(attack_id: str) -> Set[str]:
    """The places where the attack's cgroup still is."""
    return {p for p in places(attack_id) if os.path.isdir(p)}
