"""
Abort conditions end to end, as a user runs them: `stressd ATTACK
--abort-unless LINE`, the API's `abort-unless` and an agent's policy
against real services the tests run and break while the attack runs.

Why real ones: a condition is only worth having if the attack stops when
the service it watches breaks, soon enough, and leaves nothing behind; and
if a service already broken refuses the attack before anything is
created. Only a real service, broken at a moment the test chooses, shows
both; the Swift unit tests show the parsing and the judging.

The fixtures (targets.py, attacks.py for what they hand out):
- `service`, `start_service`: service.py in a subprocess, steered through
  files (`set("500")`, `set("slow 0.6")`, `kill()`);
- `listener`: a TCP socket the test holds (and accepts on), closed at will;
  `tarpit`: one that never accepts nor answers; `closed_port`;
- `oneshot`: `stressd ... --state-dir STATE --json` started and not waited
  for, so that the test breaks the service mid-attack, then `finish()`es it;
  `run`: one to its end.

Every subprocess is ended by its fixture's finalizer, even when a test
fails: attacks with SIGTERM (stressd cleans up), then SIGKILL; services
and sockets at once.
"""
import os
import socket
import sys
from pathlib import Path
from typing import List

import pytest

# tests/harness: the agent harness every Python suite shares
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.binary import stressd_bin  # noqa: E402
from harness.serve import free_port  # noqa: E402
from attacks import OneShot  # noqa: E402
from targets import Listener, Service  # noqa: E402


@pytest.fixture(scope="session")
def binary() -> str:
    return stressd_bin()


@pytest.fixture(autouse=True)
def _root():
    if os.geteuid() != 0:
        pytest.skip("needs root: stressd makes cgroups for its attacks")


@pytest.fixture
def state_dir(tmp_path) -> Path:
    """The attack's ledger and reports: the test's own, 0700 as stressd wants it."""
    d = tmp_path / "state"
    d.mkdir(mode=0o700)
    return d


@pytest.fixture
def start_service(tmp_path):
    """start_service() -> a running Service; all are killed at teardown."""
    started: List[Service] = []

    def start() -> Service:
        started.append(Service(tmp_path / f"service{len(started)}"))
        return started[-1]

    yield start
    for s in started:
        s.kill()


@pytest.fixture
def service(start_service) -> Service:
    return start_service()


@pytest.fixture
def listener():
    held = Listener()
    yield held
    held.close()


@pytest.fixture
def tarpit():
    """A port that takes connections (the kernel completes them into the
    accept queue) but never accepts nor answers: a target that hangs."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield s.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on (one the kernel had free)."""
    return free_port()


@pytest.fixture
def oneshot(binary, state_dir):
    """oneshot(args, *conditions) -> a running OneShot; any still running at
    teardown is stopped."""
    runs: List[OneShot] = []

    def start(args: List[str], *conditions: str) -> OneShot:
        runs.append(OneShot(binary, state_dir, list(args), list(conditions)))
        return runs[-1]

    yield start
    for shot in runs:
        shot.stop()


@pytest.fixture
def run(oneshot):
    """run(args, *conditions) -> (OneShot, Result): a one-shot to its end."""
    def go(args: List[str], *conditions: str, timeout: float = 20):
        shot = oneshot(args, *conditions)
        return shot, shot.finish(timeout)
    return go
