"""The agent's HTTP API from a test: JSON in, (status, body) out."""
import json
import ssl
import urllib.error
import urllib.request
from typing import Optional, Tuple


class ApiClient:
    """Requests to one agent with its bearer token (and, over HTTPS, its CA).
    Every answer comes back as (status, body), errors included, so a test
    asserts on the status and shows the agent's problem document when it
    fails: the body is parsed when the agent says it is JSON, left as text
    otherwise, None when empty."""

    def __init__(self, url: str, token: Optional[str] = None, ca: Optional[str] = None):
        self.url = url
        self.token = token
        self._tls = ssl.create_default_context(cafile=ca) if ca else None

    def request(self, method: str, path: str, body=None, auth: bool = True,
                timeout: float = 10) -> Tuple[int, object]:
        """`body`: a JSON value, or bytes sent as they are (for bodies no
        JSON encoder would write)."""
        data = None if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if auth and self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout, context=self._tls) as r:
                return r.status, _decoded(r.read(), r.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as e:
            return e.code, _decoded(e.read(), e.headers.get("Content-Type", ""))


def _decoded(raw: bytes, content_type: str):
    if not raw:
        return None
    if "json" in content_type:
        return json.loads(raw)
    return raw.decode(errors="replace")
