"""Stock and flow KPIs over customer bases: a team's base at a period's start and end, and the customer
bridge (opening + gained - lost = closing). Pure: no ORM.

Each team owns its customers (no customer belongs to two teams), so a department's or the company's base is
the sum of its teams' bases, and its flows the sum of their flows. A base is read at the period's edges,
never summed over days: the start is the first day's opening; when that day is missing, the team's latest
closing before the period (flagged as a gap); with no earlier closing either, the opening of the team's
first day in the period (also flagged). The end is the closing of the team's last day with data in the
period, flagged when that is not the period's last day. Gained and lost add up over the days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from .calculations import STOCK_AGGREGATIONS, Scorecard, Sums
from .status import ZERO


@dataclass(frozen=True)
class DayBase:
    """One team's customer base on one day (channels added): at the start, gained, lost, at the end."""

    date: dt.date
    opening: Decimal | None
    gained: Decimal
    lost: Decimal
    closing: Decimal

    @property
    def implied_opening(self) -> Decimal:
        """The day's opening as sent, else what its closing and flows imply."""
        return self.opening if self.opening is not None else self.closing - self.gained + self.lost


def team_edges(
    start: dt.date, end: dt.date, first: DayBase | None, last: DayBase | None, previous_closing: Decimal | None
) -> Sums:
    """One team's bases at the period's edges as Sums (flows not included): `first` and `last` are its
    first and last days with data in the period, `previous_closing` its latest closing before `start`."""
    if first is None or last is None:
        return Sums()  # a team without a day of data in the period has no base in it
    if first.date == start and first.opening is not None:
        opening, gap = first.opening, 0
    elif previous_closing is not None:
        opening, gap = previous_closing, 1
    else:
        opening, gap = first.implied_opening, 1
    return Sums(
        opening=opening,
        closing=last.closing,
        based_teams=1,
        opening_gaps=gap,
        closing_gaps=0 if last.date == end else 1,
    )


def team_stock_sums(
    days: Iterable[DayBase], start: dt.date, end: dt.date, previous_closing: Decimal | None = None
) -> Sums:
    """A team's stock sums for the period from its daily bases (the reference the SQL path follows)."""
    in_period = sorted((d for d in days if start <= d.date <= end), key=lambda d: d.date)
    first, last = (in_period[0], in_period[-1]) if in_period else (None, None)
    edges = team_edges(start, end, first, last, previous_closing)
    gained = sum((d.gained for d in in_period), ZERO)
    lost = sum((d.lost for d in in_period), ZERO)
    return Sums(
        rows=len(in_period),
        opening=edges.opening,
        gained=gained,
        lost=lost,
        closing=edges.closing,
        based_teams=edges.based_teams,
        opening_gaps=edges.opening_gaps,
        closing_gaps=edges.closing_gaps,
    )


@dataclass(frozen=True)
class Bridge:
    """Customers at the start, gained, lost and at the end of a period; values where a price is known.

    `difference` is closing - (opening + gained - lost): zero when the bridge balances. It is not zero when
    days are missing (their flows are unknown) or bases were corrected between days.
    """

    opening: Decimal
    gained: Decimal
    lost: Decimal
    closing: Decimal
    opening_gaps: int
    closing_gaps: int
    value_per_customer: Decimal | None = None

    @property
    def expected_closing(self) -> Decimal:
        return self.opening + self.gained - self.lost

    @property
    def difference(self) -> Decimal:
        return self.closing - self.expected_closing

    @property
    def balances(self) -> bool:
        return self.difference == 0

    def value(self, customers: Decimal) -> Decimal | None:
        """Customers valued at the value per customer (unrounded), None without a value model."""
        return None if self.value_per_customer is None else customers * self.value_per_customer

    def to_json(self) -> dict[str, object]:
        values = {
            "opening": self.opening,
            "gained": self.gained,
            "lost": self.lost,
            "closing": self.closing,
            "expected_closing": self.expected_closing,
            "difference": self.difference,
            "value_per_customer": self.value_per_customer,
        }
        data: dict[str, object] = {k: None if v is None else str(v) for k, v in values.items()}
        data.update(balances=self.balances, opening_gaps=self.opening_gaps, closing_gaps=self.closing_gaps)
        return data


def bridge(sums: Sums, value_per_customer: Decimal | None = None) -> Bridge | None:
    """The customer bridge of stock sums; None when no team has a base in the period."""
    if not sums.based_teams:
        return None
    return Bridge(
        opening=sums.opening,
        gained=sums.gained,
        lost=sums.lost,
        closing=sums.closing,
        opening_gaps=sums.opening_gaps,
        closing_gaps=sums.closing_gaps,
        value_per_customer=value_per_customer,
    )


def card_bridge(card: Scorecard, value_per_customer: Decimal | None = None) -> Bridge | None:
    """The customer bridge of a scorecard, from its churn line (else any stock KPI's line with a base)."""
    lines = sorted(card.lines.values(), key=lambda line: line.kpi_code != "churn_rate")
    for line in lines:
        if line.aggregation in STOCK_AGGREGATIONS and line.sums.based_teams:
            return bridge(line.sums, value_per_customer)
    return None


# Culture knows no prices: the app that keeps the value model (reports) registers where a period's value per
# customer comes from, so pages and the API can value the bridge without culture importing it.
_value_sources: list[Callable[[str], Decimal | None]] = []


def register_value_source(source: Callable[[str], Decimal | None]) -> None:
    if source not in _value_sources:
        _value_sources.append(source)


def value_per_customer(period_code: str) -> Decimal | None:
    """The first registered value per customer for the period; None without a value model."""
    for source in _value_sources:
        found = source(period_code)
        if found is not None:
            return found
    return None
