"""
chaostoolkit-stressd: drive stressd agents from Chaos Toolkit experiments.

Activities live in `chaosstressd.actions` and `chaosstressd.probes`; the
control that stops what an experiment started, whatever way it ends, and
writes the reports into the journal is `chaosstressd.control`.
"""
from typing import List

from chaoslib.discovery import (
    discover_actions,
    discover_probes,
    initialize_discovery_result,
)
from chaoslib.types import DiscoveredActivities, Discovery

__version__ = "0.1.0"
__all__ = ["discover", "__version__"]


def discover(discover_system: bool = True) -> Discovery:
    """The extension's activities, for `chaos discover chaostoolkit-stressd`.
    The system is the agents an experiment names, so nothing is probed here."""
    discovery = initialize_discovery_result(
        "chaostoolkit-stressd", __version__, "stressd"
    )
    discovery["activities"].extend(load_exported_activities())
    return discovery


def load_exported_activities() -> List[DiscoveredActivities]:
    activities = []
    activities.extend(discover_actions("chaosstressd.actions"))
    activities.extend(discover_probes("chaosstressd.probes"))
    return activities
