"""
A Chaos Toolkit control that runs the service under test (service.py, in
this folder) for the length of the experiment: started before the
steady-state hypothesis is first checked, stopped after everything else,
whatever way the experiment ends (completed, deviated, interrupted, failed).
If `chaos` itself is killed, the service notices its parent is gone and
exits within 0.2 s.

    "controls": [{"name": "web-service",
                  "provider": {"type": "python", "module": "webservice"}}]

The folder must be importable: run `chaos` with PYTHONPATH set to it.
Configuration: `web_port` (default 18080). Writes a `web-service` entry in
the journal's extensions: pid, port, requests served, exit status.
"""
import json
import logging
import os
import subprocess
import sys
import time
import urllib.request
from typing import Any, Optional

logger = logging.getLogger("chaostoolkit")

SERVICE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "service.py")
_proc: Optional[subprocess.Popen] = None


def _port(configuration) -> int:
    return int((configuration or {}).get("web_port", 18080))


def _get(url: str, timeout: float = 1.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def before_experiment_control(context, configuration=None, secrets=None, **kwargs):
    global _proc
    port = _port(configuration)
    _proc = subprocess.Popen(
        [sys.executable, SERVICE, "--port", str(port)],
        stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _proc.poll() is None:
        try:
            _get(f"http://127.0.0.1:{port}/")
            logger.info("web service started: pid %d on 127.0.0.1:%d", _proc.pid, port)
            return
        except OSError:
            time.sleep(0.05)
    # the steady-state hypothesis will say the service is not there
    logger.error("web service did not answer on 127.0.0.1:%d within 5s", port)


def after_experiment_control(context, state, configuration=None, secrets=None, **kwargs):
    global _proc
    proc, _proc = _proc, None
    if proc is None:
        return
    port = _port(configuration)
    entry = {"name": "web-service", "pid": proc.pid, "port": port, "served": None}
    try:
        entry["served"] = _get(f"http://127.0.0.1:{port}/stats")["served"]
    except (OSError, ValueError, KeyError):
        pass
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    entry["exit_status"] = proc.returncode
    logger.info("web service stopped (pid %d, %s requests served)", proc.pid, entry["served"])
    if isinstance(state, dict):
        state.setdefault("extensions", []).append(entry)
