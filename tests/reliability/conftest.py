import os

import pytest


@pytest.fixture(scope="session")
def binary():
    b = os.environ.get("STRESSD_BIN")
    if not b or not os.access(b, os.X_OK):
        pytest.skip("no stressd binary: set STRESSD_BIN")
    return b
