"""A real Prometheus server (Debian's package) a test starts on a free
loopback port, scraping the targets it is given every `interval` seconds
until stopped. It needs about 6 s before its first sample (its scrape
manager applies new targets every 5 s)."""
import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import List, Optional
from urllib.parse import quote

from harness.serve import free_port

PROMETHEUS = "/usr/bin/prometheus"


class Prometheus:
    def __init__(self, folder: Path, targets: List[str], interval: float = 1.0, bearer_token: Optional[str] = None,
                 job: str = "test"):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = folder / "prometheus.yml"
        authorization = f"    authorization:\n      credentials: {bearer_token}\n" if bearer_token else ""
        config.write_text(
            f"global:\n  scrape_interval: {interval:g}s\n  evaluation_interval: {interval:g}s\n"
            f"scrape_configs:\n  - job_name: {job}\n{authorization}"
            f"    static_configs:\n      - targets: [{', '.join(repr(t) for t in targets)}]\n")
        config.chmod(0o600)
        self.log = folder / "prometheus.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={folder / 'data'}",
                 f"--web.listen-address=127.0.0.1:{self.port}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=folder)

    def query(self, promql: str) -> list:
        """The instant query's samples; [] while it cannot answer."""
        assert self.proc.poll() is None, self.log.read_text()[-3000:]
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/query?query={quote(promql)}", timeout=2) as r:
                return json.load(r)["data"]["result"]
        except (OSError, urllib.error.URLError, ValueError, KeyError):
            return []

    def value(self, promql: str) -> Optional[float]:
        """The query's single value, or None when it has no sample."""
        samples = self.query(promql)
        assert len(samples) <= 1, f"{promql} has {len(samples)} series: {samples}"
        return float(samples[0]["value"][1]) if samples else None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
