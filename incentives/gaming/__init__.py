"""Gaming signals for a plan: per team and period, flags with their evidence (docs/kpi-maths.md).

`gaming_signals(plan=...)` is the contract the impact page and the approval pack call; the partial
`templates/includes/_gaming_signals.html` renders its result from the context variable `signals`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.dates import WEEKDAYS

from culture.models import Team
from culture.models.kpis import Channel

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

    @property
    def best_cells(self) -> str:
        """The best-scoring channels or weekdays of a survey-mix flag, in the reader's language."""
        best = self.flag.evidence.get("best", ())
        codes = [str(code) for code in best] if isinstance(best, tuple) else []
        if self.flag.evidence.get("dimension") == "channel":
            labels = [str(Channel(code).label) if code in Channel.values else code for code in codes]
        else:
            labels = [str(WEEKDAYS[int(code)]) for code in codes]
        return ", ".join(labels)


def gaming_signals(*, plan: Plan) -> tuple[Signal, ...]:
    """Every gaming flag of the plan's covered teams in its period (against the previous period)."""
    flags = detect(load_inputs(plan=plan), thresholds_from_settings())
    names = dict(Team.objects.filter(pk__in={f.team_id for f in flags}).values_list("pk", "name"))
    return tuple(Signal(names.get(f.team_id, str(f.team_id)), f) for f in flags)
