"""The figures of one period's board report, as a plain type: `board_report` gathers them, `board_format` prints them.

Pure (no ORM at import or run time), so the gathering and the formatting both depend on it and not on each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from culture.scorecards import Scorecard, YearIndex

if TYPE_CHECKING:
    from culture.models import Period
    from culture.pulse.linkage import ServiceChain
    from hiring.insights import HireQuality

    from ..models import ValueModel


@dataclass(frozen=True)
class RedAction:
    kpi_code: str
    comment: str
    action: str
    owner: str
    due: dt.date | None
    status: str = ""  # "open" or "overdue" at the close, frozen with it; "" for an open period


@dataclass(frozen=True)
class BoardData:
    """Every figure of one period's board report, read once."""

    period_code: str
    previous_code: str
    last_year_code: str
    codes: list[str]
    period: Period | None
    company: dict[str, Scorecard]
    departments: dict[int, Scorecard]
    teams: dict[int, Scorecard]
    department_names: dict[int, str]
    team_names: dict[int, str]
    team_departments: dict[int, int]
    actions: dict[tuple[int, str], RedAction]
    snapshots: dict[str, dict[str, str]]
    definitions: dict[str, str]
    value_model: ValueModel | None
    incentive_spend: Decimal
    other_currency_spend: dict[str, Decimal]
    hiring: HireQuality
    closing_checksum: str = ""
    closing_version: int = 0
    close_reason: str = ""
    close_open_items: dict[str, int] | None = None
    # The department tree (department -> parent, None for a division at the top) and the value model's baseline.
    department_parents: dict[int, int | None] = field(default_factory=dict)
    baseline_code: str = ""
    # The service-profit chain, only when the CCO asked for it on the request (None otherwise).
    chain: ServiceChain | None = None
    # A year report's CX index: its own composite, or the one over its months with targets (None otherwise).
    year_index: YearIndex | None = None

    @property
    def is_final(self) -> bool:
        return bool(self.period and self.period.is_closed)

    def evidence(self) -> dict[str, Any]:
        """What the input checksum covers: every figure the report prints, and where each came from."""
        evidence = self._evidence()
        if self.chain is not None:  # absent unless asked for, so reports without it keep their checksums
            c = self.chain
            evidence["chain"] = {
                "pulse": c.pulse.pk,
                "measure": c.measure,
                "kpi": c.kpi.code,
                "lag": c.lag,
                "points": [[p.team_id, p.engagement, p.kpi] for p in c.points],
                "refusal": c.refusal,
            }
        if self.year_index is not None:  # a year report only, so other reports keep their checksums
            evidence["year_index"] = self.year_index.to_json()
        return evidence

    def _evidence(self) -> dict[str, Any]:
        vm = self.value_model
        return {
            "document": "board_report",
            "period": self.period_code,
            "period_closed": self.is_final,
            "company": {code: card.to_json() for code, card in self.company.items()},
            "departments": {str(i): c.to_json() for i, c in sorted(self.departments.items())},
            "department_names": {str(i): n for i, n in sorted(self.department_names.items())},
            "teams": {str(i): c.to_json() for i, c in sorted(self.teams.items())},
            "team_names": {str(i): n for i, n in sorted(self.team_names.items())},
            "actions": {
                f"{team}:{code}": [a.comment, a.action, a.owner, a.due, a.status]
                for (team, code), a in sorted(self.actions.items())
            },
            "snapshots": self.snapshots,
            "closing": [self.closing_checksum, self.closing_version, self.close_reason, self.close_open_items or {}],
            "definitions": self.definitions,
            "value_model": None
            if vm is None
            else {
                "period": vm.period.code,
                "baseline": self.baseline_code,
                "currency": vm.currency,
                "customers": vm.customers,
                "revenue_per_customer": vm.revenue_per_customer,
                "cost_per_assisted_contact": vm.cost_per_assisted_contact,
                "cost_per_self_service_contact": vm.cost_per_self_service_contact,
            },
            "incentive_spend": self.incentive_spend,
            "other_currency_spend": self.other_currency_spend,
            "hires": [[h.team, h.score, h.bar, h.meets_bar, h.rating_90_day] for h in self.hiring.hires],
        }
