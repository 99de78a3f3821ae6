"""How a test ends its agents: whatever state they are in, and saying
what they left."""
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable, List

from harness import leftovers


def end(agents: Iterable, fill_dirs: Iterable[Path] = (), halt: bool = False) -> List[str]:
    """What the agents still hold while serving (with `halt`, after every
    attack was stopped through the API: for tests that may leave attacks
    running), then SIGTERM, then what is left once they exited. The agents
    are stopped whatever fails before. Empty: clean."""
    agents, fill_dirs = list(agents), list(fill_dirs)
    problems = []
    try:
        if halt:
            for a in agents:
                try:
                    a.api("DELETE", "/v1/attacks", timeout=5)
                except OSError:
                    pass  # the check that follows says the agent does not answer
        problems += leftovers.live(agents, fill_dirs)
    finally:
        with ThreadPoolExecutor(16) as pool:
            for stopped in pool.map(lambda a: a.stop(), agents):
                problems += stopped
    return problems + leftovers.after_exit(agents, fill_dirs)
