"""
A real `stressd serve` on loopback for the API tests (tests/harness), set up
so nothing the tests (or schemathesis) send can hurt this machine:

- a 0700 temporary folder holds the token file (0600), the state directory
  (0700), the config and the agent's log;
- the agent runs in a PID namespace of its own (`unshare --pid --fork
  --mount-proc`), so the only processes a kill or pause attack can see are
  the agent, its workers and watchdogs, and one `sleep` the test owns
  (`Agent.owned_pid`, in the namespace's numbering); no selector, whatever
  a fuzzer writes, can reach another process of this machine;
- `Agent.fill_dir` is a 64 MiB tmpfs: the only disk path the tests steer
  fills to, so a fill is bounded by its size;
- `max-attacks`, the policy's `max-duration`, `disk-floor` come from each
  test's config.

`Agent.clean()` says what is left (harness.leftovers): running attacks
(through the API), processes of the agent's, ledger records, files in the
tmpfs. At teardown the agents are stopped and the test fails if any of
that, a cgroup or a stopped process is left.
"""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List

import pytest

# tests/harness: the agent harness every Python suite shares
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import leftovers  # noqa: E402
from harness.binary import stressd_bin  # noqa: E402
from harness.serve import ServeAgent  # noqa: E402
from harness.teardown import end  # noqa: E402
from harness.tmpfs import mount  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DOCUMENT = REPO / "Sources" / "StressServer" / "openapi.yaml"


class Agent(ServeAgent):
    """A ServeAgent in a PID namespace of its own, filling only a tmpfs."""

    def __init__(self, folder: Path, config: str, extra_args: List[str]):
        super().__init__(stressd_bin(), folder, config=config, args=extra_args, wrap=self._in_pid_namespace)
        self.fill_dir = folder / "fill"
        self.fill_dir.mkdir(mode=0o700)
        mount(self.fill_dir, "64M")
        self.owned_pid_file = folder / "owned.pid"

    def _in_pid_namespace(self, command: List[str]) -> List[str]:
        # sh stays PID 1 of the namespace (the agent must not be: its
        # watchdogs refuse a supervisor pid of 1); it starts the owned
        # sleep, then the agent.
        script = (f'sleep 100000 & echo $! > "{self.owned_pid_file}"; '
                  f'{shlex.join(command)}; echo "agent exited $?"')
        return ["unshare", "--pid", "--fork", "--mount-proc", "sh", "-c", script]

    @property
    def owned_pid(self) -> int:
        return int(self.owned_pid_file.read_text())

    def clean(self) -> List[str]:
        return leftovers.live([self], [self.fill_dir])

    def wait_clean(self, timeout: float = 10) -> List[str]:
        deadline = time.monotonic() + timeout
        while True:
            left = self.clean()
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.1)


@pytest.fixture
def make_agent():
    """make_agent(config_text, *extra_args) -> Agent; at teardown the agents
    are stopped, checked and their tmpfs unmounted."""
    folder = Path(tempfile.mkdtemp(prefix="stressd-api-"))
    os.chmod(folder, 0o700)
    agents = []

    def make(config: str = "", *extra_args: str) -> Agent:
        agent = Agent(folder / f"agent{len(agents)}", config, list(extra_args))
        agents.append(agent)
        agent.launch()
        return agent

    yield make
    try:
        problems = end(agents, [a.fill_dir for a in agents])
    finally:
        for agent in agents:
            subprocess.run(["umount", str(agent.fill_dir)], check=False)
    if os.environ.get("KEEP_API_TMP"):
        print(f"kept {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    assert not problems, "\n".join(problems)
