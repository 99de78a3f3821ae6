"""Which of the configured agents an activity acts on (the blast radius)."""
import math
import random
from typing import Dict, List, Optional

from chaoslib.exceptions import ActivityFailed
from chaoslib.types import Configuration, Secrets

from .agents import Agent, agents_from_configuration

__all__ = ["select_agents"]


def select_agents(
    configuration: Configuration,
    secrets: Secrets,
    targets: Optional[List[str]] = None,
    count: Optional[int] = None,
    percentage: Optional[float] = None,
    seed: Optional[int] = None,
) -> List[Agent]:
    """The agents named in `targets` (all configured ones by default), then,
    with `count` or `percentage`, that many of them sampled at random;
    the same `seed` picks the same agents from the same names."""
    agents: Dict[str, Agent] = agents_from_configuration(configuration, secrets)
    if isinstance(targets, str):
        targets = [targets]
    if targets:
        unknown = [t for t in targets if t not in agents]
        if unknown:
            raise ActivityFailed(
                f"unknown stressd agent(s) {', '.join(map(repr, unknown))}: "
                f"configured are {', '.join(map(repr, sorted(agents)))}"
            )
        names = sorted(set(targets))
    else:
        names = sorted(agents)
    if count is not None and percentage is not None:
        raise ActivityFailed("give either count or percentage, not both")
    k = len(names)
    if count is not None:
        count = int(count)
        if count < 1 or count > len(names):
            raise ActivityFailed(
                f"count {count} is out of range: from 1 to {len(names)} agent(s)"
            )
        k = count
    elif percentage is not None:
        p = float(str(percentage).rstrip("%"))
        if not 0 < p <= 100:
            raise ActivityFailed(f"percentage {percentage} is out of range: (0, 100]")
        k = max(1, math.ceil(len(names) * p / 100.0 - 1e-9))
    if k < len(names):
        rng = random.Random(seed) if seed is not None else random.SystemRandom()
        names = sorted(rng.sample(names, k))
    return [agents[n] for n in names]
