"""Scorecards: building them (teams, departments, the company), the KPI math, periods, targets and reviews.

The contract other apps build on:

    from culture.scorecards import build_scorecards, Scorecard, KpiLine, parse_period, close_period

`culture.models` imports the pure period codes (`culture.scorecards.periods`) while Django is still
loading the models, so this package must not import its ORM modules when it is first imported: each
name of the contract is imported from its module on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .building import (
        build_scorecard_levels,
        build_scorecard_series,
        build_scorecards,
        default_period_code,
        kpi_spec,
        series_codes,
    )
    from .calculations import KpiLine, Scorecard
    from .charts import kpi_sparkline, kpi_trend_chart
    from .closing import (
        CheckItem,
        approve_reopen,
        close_checklist,
        closed_series,
        current_closing,
        frozen_input,
        register_close_check,
        register_comparison_periods,
        register_freezer,
        register_reopen_guard,
        reject_reopen,
        request_reopen,
        verify_closing,
        withdraw_reopen,
    )
    from .periods import PeriodSpan, parse_period, previous_period, same_period_last_year, shift_period
    from .scopes import COMPANY, DEPARTMENT, LEVELS, TEAM, OrgTree, load_org
    from .services import (
        ActionInput,
        PeriodClosedError,
        TargetValues,
        close_period,
        delete_target,
        ensure_period_open,
        payload_checksum,
        resnapshot_period,
        save_scope_targets,
        save_target,
        submit_review,
    )
    from .status import Status
    from .year_index import YearIndex, compute_year_index, describe_year_index, year_index

_CONTRACT = {
    "building": [
        "build_scorecard_levels",
        "build_scorecard_series",
        "build_scorecards",
        "default_period_code",
        "kpi_spec",
        "series_codes",
    ],
    "calculations": ["KpiLine", "Scorecard", "Status"],
    "charts": ["kpi_sparkline", "kpi_trend_chart"],
    "closing": [
        "CheckItem",
        "approve_reopen",
        "close_checklist",
        "closed_series",
        "current_closing",
        "frozen_input",
        "register_close_check",
        "register_comparison_periods",
        "register_freezer",
        "register_reopen_guard",
        "reject_reopen",
        "request_reopen",
        "verify_closing",
        "withdraw_reopen",
    ],
    "periods": ["PeriodSpan", "parse_period", "previous_period", "same_period_last_year", "shift_period"],
    "scopes": ["COMPANY", "DEPARTMENT", "LEVELS", "TEAM", "OrgTree", "load_org"],
    "services": [
        "ActionInput",
        "PeriodClosedError",
        "TargetValues",
        "close_period",
        "delete_target",
        "ensure_period_open",
        "payload_checksum",
        "resnapshot_period",
        "save_scope_targets",
        "save_target",
        "submit_review",
    ],
    "year_index": ["YearIndex", "compute_year_index", "describe_year_index", "year_index"],
}
_MODULE_OF = {name: module for module, names in _CONTRACT.items() for name in names}

__all__ = [
    "COMPANY",
    "DEPARTMENT",
    "LEVELS",
    "TEAM",
    "ActionInput",
    "CheckItem",
    "KpiLine",
    "OrgTree",
    "PeriodClosedError",
    "PeriodSpan",
    "Scorecard",
    "Status",
    "TargetValues",
    "YearIndex",
    "approve_reopen",
    "build_scorecard_levels",
    "build_scorecard_series",
    "build_scorecards",
    "close_checklist",
    "close_period",
    "closed_series",
    "compute_year_index",
    "current_closing",
    "default_period_code",
    "delete_target",
    "describe_year_index",
    "ensure_period_open",
    "frozen_input",
    "kpi_sparkline",
    "kpi_spec",
    "kpi_trend_chart",
    "load_org",
    "parse_period",
    "payload_checksum",
    "previous_period",
    "register_close_check",
    "register_comparison_periods",
    "register_freezer",
    "register_reopen_guard",
    "reject_reopen",
    "request_reopen",
    "resnapshot_period",
    "same_period_last_year",
    "save_scope_targets",
    "save_target",
    "series_codes",
    "shift_period",
    "submit_review",
    "verify_closing",
    "withdraw_reopen",
    "year_index",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
