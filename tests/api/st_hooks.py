"""
schemathesis hooks for tests/api/test_schemathesis.py (loaded through
SCHEMATHESIS_HOOKS=st_hooks with this folder on PYTHONPATH).

Harmlessness, on top of the agent's own set-up (a PID namespace, a tmpfs,
one slot taken by the test's blocker attack):
- a `disk` or `io` body's absolute path is pointed into the test's tmpfs
  (STRESSD_FILL_DIR), whatever the mode: no other file system can be
  filled or even examined;
- a positive `kill` or `pause` body's selector is replaced by the pid of the
  `sleep` the test owns (STRESSD_OWNED_PID): a positive case never aims at
  another process. Negative cases keep their selectors; the namespace
  leaves them nothing else to hit;
- abort conditions that would reach the network (http, tcp, prometheus)
  are replaced by a pressure check that holds (`SAFE_CONDITION`), in every
  mode: the agent never connects anywhere for the fuzzer; a positive body's
  whole list is, as the document cannot state the grammar of a condition
  line (the fuzz target `attack-request` covers its parser).
These hold for POST /v1/plans as for POST /v1/attacks: the same bodies.

The check `refusals_the_document_cannot_express`: positive data refused
with 422 passes only when the agent's reason is one no static document can
state (the host, the safety policy in force, a cross-field comparison of
durations); any other 422 of schema-valid data fails, as ST202 would.
"""
import json
import os
import re

import schemathesis

SELECTORS = ("name", "match", "pid", "unit", "cgroup")

# What the agent refuses for reasons of this host, its policy or other
# fields' values, as its messages word them (StressCore, StressAgent).
HOST_OR_POLICY = [
    r"the safety policy's maximum",                    # duration > policy max-duration
    r"this host lets stressd use",                     # cores > what the host has
    r"below the memory floor",                         # mem size/fill-to vs floor
    r"below the disk floor",                           # disk amount vs floor
    r"a request may only raise it",                    # floor under the agent's
    r"a request may only lower it",                    # max-load-avg over the agent's
    r"could not be examined",                          # disk path missing
    r"read-only file system",
    r"without blocks to fill",
    r"is more than the .* free on",                    # disk size > room
    r"nothing to fill",
    r"offers no I/O pressure",                         # io max-io-pressure on a kernel without PSI
    r"at least one block per worker",                  # io size vs block-size x workers
    r"longer than the duration",                       # interval > duration
    r"would leave",                                    # floors, again
    r"the label '.*' is given twice",                  # labels text naming a key twice
    r"more than the cgroup memory limit",              # mem size P% of total over the cgroup limit
    r"matches no process",                             # kill/pause: the owned sleep was killed already
    r"matches only processes that may not be hit",
    r"stressd may run on CPUs",                        # cpus outside this host's affinity mask
    r"CPU numbers below",                              # cpus past NR_CPUS
    r"not in its steady state",                        # an abort condition failing now
    r"expected CPU numbers and ranges",                # cpus range whose first CPU is above its last
]


def _is_positive(case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


@schemathesis.hook
def after_call(context, case, response):
    """With STRESSD_ST_LOG set, one JSON line per POST /v1/attacks answer
    (mode, status, field, detail), for the test's figures."""
    log = os.environ.get("STRESSD_ST_LOG")
    if not log or case.operation.method.upper() != "POST" or case.operation.path != "/v1/attacks":
        return
    try:
        problem = response.json() if response.status_code >= 400 else {}
    except Exception:
        problem = {}
    mode = "positive" if _is_positive(case) else "negative"
    with open(log, "a") as f:
        row = {"mode": mode, "status": response.status_code, "field": problem.get("field"), "detail": problem.get("detail")}
        if mode == "negative" and response.status_code == 409:
            # Schema-invalid, yet valid to the agent (only the blocker refused it).
            row["body"] = case.body if isinstance(case.body, (dict, list, str, int, float, bool)) else repr(case.body)
            row["headers"] = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
            row["query"] = case.query
            row["component"] = str(getattr(case.meta, "components", ""))[:300] if case.meta else ""
        f.write(json.dumps(row, default=repr) + "\n")


SAFE_CONDITION = "pressure memory some=99%"
NETWORK_CHECKS = ("http", "tcp", "prometheus")
STARTS = ("/v1/attacks", "/v1/plans")


def _reaches_network(condition) -> bool:
    if isinstance(condition, dict):
        return condition.get("check") in NETWORK_CHECKS
    return isinstance(condition, str) and condition.strip().split(" ", 1)[0] in NETWORK_CHECKS


@schemathesis.hook
def before_call(context, case, kwargs):
    body = case.body
    if not isinstance(body, dict) or case.operation.method.upper() != "POST" or case.operation.path not in STARTS:
        return
    conditions = body.get("abort-unless")
    if isinstance(conditions, list) and conditions:
        if _is_positive(case):
            body["abort-unless"] = [SAFE_CONDITION]
        else:
            body["abort-unless"] = [SAFE_CONDITION if _reaches_network(c) else c for c in conditions]
    kind = body.get("kind")
    if kind in ("disk", "io") and isinstance(body.get("path"), str) and body["path"].startswith("/"):
        body["path"] = os.environ["STRESSD_FILL_DIR"]
    if kind in ("kill", "pause") and _is_positive(case):
        for name in SELECTORS:
            body.pop(name, None)
        body["pid"] = int(os.environ["STRESSD_OWNED_PID"])


# A label key given twice in `?label=` (with two values), which the
# document states in words: an array's items cannot say that no two of
# them share the text before their `=`.
LABEL_KEY_TWICE = r"the label '.*' is given twice"


@schemathesis.check
def refusals_the_document_cannot_express(ctx, response, case):
    if not _is_positive(case):
        return None
    method, path = case.operation.method.upper(), case.operation.path
    if method == "POST" and path in STARTS and response.status_code == 422:
        allowed = HOST_OR_POLICY
    elif method in ("GET", "DELETE") and path == "/v1/attacks" and response.status_code == 400:
        allowed = [LABEL_KEY_TWICE]
    else:
        return None
    try:
        detail = response.json().get("detail", "")
    except Exception:
        detail = response.text
    if any(re.search(pattern, detail) for pattern in allowed):
        return None
    raise AssertionError(f"Schema-valid request refused for a reason the document could state: {detail}")
