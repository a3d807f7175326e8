"""Gaming signals for a plan: per team and period, flags with their evidence (docs/kpi-maths.md).

`gaming_signals(plan=...)` is the contract the impact page and the approval pack call; the partial
`templates/includes/_gaming_signals.html` renders its result from the context variable `signals`.
"""

from __future__ import annotations

from dataclasses import dataclass

from culture.models import Team

from ..models import Plan
from .detector import RULES, Flag, Thresholds, detect
from .loading import load_inputs, thresholds_from_settings

__all__ = ["RULES", "Flag", "Signal", "Thresholds", "detect", "gaming_signals", "load_inputs"]


@dataclass(frozen=True)
class Signal:
    """A flag with its team's name, for pages and the approval pack."""

    team_name: str
    flag: Flag

    @property
    def rule(self) -> str:
        return self.flag.rule

    @property
    def evidence(self):
        return self.flag.evidence


def gaming_signals(*, plan: Plan) -> tuple[Signal, ...]:
    """Every gaming flag of the plan's covered teams in its period (against the previous period)."""
    flags = detect(load_inputs(plan=plan), thresholds_from_settings())
    names = dict(Team.objects.filter(pk__in={f.team_id for f in flags}).values_list("pk", "name"))
    return tuple(Signal(names.get(f.team_id, str(f.team_id)), f) for f in flags)
