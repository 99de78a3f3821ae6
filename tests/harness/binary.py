"""Which stressd the suites test."""
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def stressd_bin() -> str:
    """$STRESSD_BIN (the make targets set it), else what `swift build`
    leaves in this tree; the test is skipped when there is neither."""
    for candidate in (os.environ.get("STRESSD_BIN"), str(REPO / ".build" / "debug" / "stressd")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("no stressd binary: set STRESSD_BIN")
