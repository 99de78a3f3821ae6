"""The token goes only to an agent root (or this user) runs: a local user
holding the agent's port while it is down gets nothing."""
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from chaosstressd.agents import Agent, AgentError
from chaosstressd.server_owner import _proc_form

# a uid no account has, as the stressd suites use (Tests/TestSupport/UnprivilegedUser.swift)
USER = 64123

# tests/harness/port_squatter.py: the listener, shared with the Swift suite
SQUATTER = str(Path(__file__).resolve().parents[3] / "tests" / "harness" / "port_squatter.py")


def test_addresses_in_the_kernels_form():
    assert _proc_form(("127.0.0.1", 7070), socket.AF_INET) == "0100007F:1B9E"
    assert _proc_form(("127.0.0.1", 7070), socket.AF_INET6) == "0000000000000000FFFF00000100007F:1B9E"
    assert _proc_form(("::1", 443, 0, 0), socket.AF_INET6) == "00000000000000000000000001000000:01BB"
    assert _proc_form(("::1", 443, 0, 0), socket.AF_INET) is None
    assert _proc_form(("::ffff:127.0.0.2", 7070, 0, 0), socket.AF_INET) == "0200007F:1B9E"


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv")
def test_a_port_another_user_holds_gets_no_token():
    squatter = subprocess.Popen(
        ["setpriv", "--reuid", str(USER), "--regid", str(USER), "--clear-groups", "--", "/usr/bin/python3", SQUATTER],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port = int(squatter.stdout.readline())
        # https too: the check comes before TLS, so not even a ClientHello reaches it
        for url in (f"http://127.0.0.1:{port}", f"http://[::1]:{port}", f"https://127.0.0.1:{port}"):
            agent = Agent("web-1", url, token="ab12" * 8, verify=False, timeout=5)
            with pytest.raises(AgentError) as refused:
                agent.list()
            assert f"held by a socket uid {USER} made" in str(refused.value), refused.value
            assert "nothing was sent" in str(refused.value)
        squatter.stdin.close()
        assert squatter.stdout.readline().strip() == "0", "the user's listener received nothing"
    finally:
        squatter.kill()
        squatter.wait()
