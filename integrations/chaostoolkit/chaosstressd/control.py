"""
The control `chaosstressd.control`: whatever way an experiment ends
(completed, deviated, failed, interrupted, aborted), stop every attack it
started, stop renewing leases, and write each host's attack reports into
the journal, under `journal["extensions"]`, in the entry named
`chaosstressd`:

    {
        "name": "chaosstressd",
        "run_id": "<32 hex digits>",
        "label": "stressd.chaostoolkit/run=<run id>",
        "hosts": {
            "web-1": {"url": "https://...", "attacks": [<report>, ...]},
            ...
        },
        "errors": ["agent 'web-2' (https://...): cannot connect: ..."],
        "nothing_left": true,
        "page": "stressd-run-<run id>.html"
    }

and one HTML page for people (`page.py`): each host's attacks with their
chart, outcome, cleanup and abort-condition verdicts, written in the
current directory (beside chaos's default `journal.json`) as
`stressd-run-<run id>.html`, or where the control's `report_page`
argument says; `report_page: false` writes none.

Declare it in the experiment's (or the settings') controls:

    "controls": [{
        "name": "stressd",
        "provider": {"type": "python", "module": "chaosstressd.control",
                     "arguments": {"report_page": "reports/run.html"}}
    }]
"""
import logging
from typing import Any, Dict, List, Optional, Tuple, Union

from chaoslib.types import Configuration, Experiment, Journal, Secrets

from .actions import _stop_run
from .agents import AgentError
from .page import render_page, write_page
from .run import current_run, new_run

__all__ = [
    "before_experiment_control",
    "after_experiment_control",
    "JOURNAL_EXTENSION",
]

logger = logging.getLogger("chaostoolkit")

#: the name of the journal's extension entry this control writes
JOURNAL_EXTENSION = "chaosstressd"


def before_experiment_control(
    context: Experiment,
    configuration: Configuration = None,
    secrets: Secrets = None,
    **kwargs: Any,
) -> None:
    """Begins a new run: a fresh run id (or the configuration's
    `stressd_run_id`), so this experiment's attacks carry their own label."""
    run = new_run((configuration or {}).get("stressd_run_id"))
    logger.info("stressd attacks of this experiment are labelled %s", run.label)


def after_experiment_control(
    context: Experiment,
    state: Journal,
    configuration: Configuration = None,
    secrets: Secrets = None,
    report_page: Union[str, bool, None] = None,
    **kwargs: Any,
) -> None:
    """Stops everything the experiment started (whatever its status), stops
    the lease renewer, writes each host's reports into the journal and the
    run's HTML page (`report_page`: its path; false for none). Never
    raises: what could not be done is logged and listed in the journal
    entry's `errors`."""
    run = current_run((configuration or {}).get("stressd_run_id"))
    errors: List[str] = []
    reports: Dict[str, List[Dict[str, Any]]] = {}
    try:
        reports, failed = _stop_run(run, None, configuration, secrets)
        for name in sorted(failed):
            errors.append(str(failed[name]))
            logger.error("stressd: could not stop this run's attacks: %s", failed[name])
    except Exception as x:  # the journal must still be written
        errors.append(f"{type(x).__name__}: {x}")
        logger.error("stressd: stopping this run's attacks failed: %s", x)
    finally:
        run.stop_renewer()

    hosts: Dict[str, Dict[str, Any]] = {}
    with run.lock:
        urls = {n: a.url for n, a in run.agents.items()}
    for host in sorted(set(urls) | set(reports)):
        hosts[host] = {"url": urls.get(host), "attacks": reports.get(host, [])}
    left = not errors and all(
        (r.get("cleanup") or {}).get("leftovers") in ([], None)
        for rs in reports.values()
        for r in rs
        if isinstance(r, dict)
    )
    entry = {
        "name": JOURNAL_EXTENSION,
        "run_id": run.id,
        "label": run.label,
        "hosts": hosts,
        "errors": errors,
        "nothing_left": left,
    }
    if report_page is not False:
        entry["page"] = _write_report_page(
            report_page or f"stressd-run-{run.id}.html", context, state, entry, run, errors)
    if isinstance(state, dict):
        exts = state.setdefault("extensions", [])
        exts[:] = [e for e in exts if e.get("name") != JOURNAL_EXTENSION]
        exts.append(entry)
    n = sum(len(v["attacks"]) for v in hosts.values())
    logger.info(
        "stressd: %d attack report(s) of %s written to the journal%s",
        n,
        run.label,
        "" if not errors else f"; {len(errors)} error(s)",
    )


def _write_report_page(path: str, experiment: Experiment, journal: Journal, entry: Dict[str, Any], run,
                       errors: List[str]) -> Optional[str]:
    """Fetches each attack's chart from its agent and writes the page;
    returns its path, or None (with why in `errors`) if it was not written."""
    with run.lock:
        agents = dict(run.agents)
    charts: Dict[Tuple[str, str], Optional[str]] = {}
    for host, data in entry["hosts"].items():
        for report in data["attacks"]:
            attack_id = report.get("id") if isinstance(report, dict) else None
            if not attack_id or host not in agents:
                continue
            try:
                charts[(host, attack_id)] = agents[host].chart(attack_id)
            except AgentError as x:
                charts[(host, attack_id)] = None
                logger.warning("stressd: no chart of %s: %s", attack_id, x)
    try:
        write_page(path, render_page(experiment if isinstance(experiment, dict) else {}, journal, entry, charts))
    except OSError as x:
        errors.append(f"the report page {path} was not written: {x}")
        logger.error("stressd: the report page %s was not written: %s", path, x)
        return None
    logger.info("stressd: the run's report page is %s", path)
    return path
