"""
One HTML page per experiment run, written by the control beside the
journal: the experiment's title and status, then each host with each of
its attacks' chart (the agent's own, `GET /v1/reports/{id}.svg`), outcome,
cleanup and abort-condition verdicts, and what could not be done.

Everything from an agent or the experiment is escaped, and each chart is an
`<img>` of a data URL, never inline SVG: a browser runs no script in an
image, so an agent (or a tampered cleartext connection to one) cannot put
script into the operator's page.
"""
import base64
import html
import os
from typing import Any, Dict, List, Optional, Tuple

__all__ = ["render_page", "write_page"]

STYLE = """
body { font-family: DejaVu Sans, Verdana, sans-serif; margin: 2em; color: #222; max-width: 1000px; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
.ok { color: #2ca02c; } .bad { color: #d62728; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { padding: 2px 10px 2px 0; text-align: left; }
img { max-width: 100%; border: 1px solid #eee; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _outcome(report: Dict[str, Any]) -> str:
    outcome = report.get("outcome") or {}
    status = outcome.get("status", "?")
    good = status in ("completed", "stopped")
    reason = f": {outcome['reason']}" if outcome.get("reason") else ""
    return f'<span class="{"ok" if good else "bad"}">{_e(status)}</span>{_e(reason)}'


def _cleanup(report: Dict[str, Any]) -> str:
    left = (report.get("cleanup") or {}).get("leftovers")
    if left == []:
        return '<span class="ok">verified: nothing left behind</span>'
    return '<span class="bad">left behind: ' + _e("; ".join(map(str, left or ["unknown"]))) + "</span>"


def _conditions(report: Dict[str, Any]) -> str:
    rows = []
    for condition in report.get("abortConditions") or []:
        checks = condition.get("evaluations") or []
        failed = [c for c in checks if not c.get("passed")]
        last = checks[-1] if checks else None
        verdict = (
            '<span class="ok">held</span>' if last and last.get("passed")
            else '<span class="bad">failed</span>' if last else "not checked"
        )
        detail = f" (last: {last.get('detail', '')})" if last else ""
        rows.append(
            f"<tr><td><code>{_e(condition.get('condition', '?'))}</code></td><td>{verdict}{_e(detail)}</td>"
            f"<td>{len(checks)} check(s), {len(failed)} failed</td></tr>"
        )
    return "<table><tr><th>abort condition</th><th>verdict</th><th></th></tr>" + "".join(rows) + "</table>" if rows else ""


def _chart(svg: Optional[str], attack_id: str) -> str:
    if not svg:
        return "<p>(no chart: the agent could not draw it)</p>"
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<p><img alt="chart of {_e(attack_id)}" src="data:image/svg+xml;base64,{encoded}"></p>'


def render_page(experiment: Dict[str, Any], journal: Dict[str, Any], entry: Dict[str, Any],
                charts: Dict[Tuple[str, str], Optional[str]]) -> str:
    """The page's HTML. `entry` is the control's journal entry, `charts`
    each attack's SVG by host and attack id (None where it could not be
    had): ids are each agent's own, so two hosts may report the same one."""
    title = experiment.get("title") or "experiment"
    status = journal.get("status", "?") if isinstance(journal, dict) else "?"
    deviated = isinstance(journal, dict) and journal.get("deviated")
    parts: List[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>stressd: {_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>Experiment {_e(status)}{', deviated from its steady state' if deviated else ''}. "
        f"stressd run <code>{_e(entry.get('run_id'))}</code>, attacks labelled <code>{_e(entry.get('label'))}</code>. "
        + ('<span class="ok">Nothing left behind on any host.</span>' if entry.get("nothing_left")
           else '<span class="bad">Not verified that nothing was left behind: see below.</span>')
        + "</p>",
    ]
    for error in entry.get("errors") or []:
        parts.append(f'<p class="bad">{_e(error)}</p>')
    for host, data in sorted((entry.get("hosts") or {}).items()):
        attacks = data.get("attacks") or []
        parts.append(f"<h2>{_e(host)} <small><code>{_e(data.get('url') or '')}</code></small></h2>")
        if not attacks:
            parts.append("<p>No attack ran here.</p>")
        for report in attacks:
            if not isinstance(report, dict):
                continue
            attack_id = str(report.get("id", "?"))
            kind = (report.get("spec") or {}).get("kind", "?")
            parts.append(
                f"<h3><code>{_e(attack_id)}</code> ({_e(kind)})</h3>"
                f"<p>Outcome: {_outcome(report)}. Cleanup: {_cleanup(report)}.</p>"
                + _conditions(report)
                + _chart(charts.get((host, attack_id)), attack_id)
            )
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_page(path: str, text: str) -> None:
    """Creates `path` anew (never through a link, never over a file already
    there: a rerun must not overwrite another run's page) with mode 0644."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
