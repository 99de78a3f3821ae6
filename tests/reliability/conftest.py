import sys
from pathlib import Path

import pytest

# tests/harness: the agent harness every Python suite shares
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.binary import stressd_bin  # noqa: E402


@pytest.fixture(scope="session")
def binary():
    return stressd_bin()
