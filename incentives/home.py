"""Incentives' panel on the home page (core.home): a participant's incentive progress this period.

For each active plan of an open period covering today that the person is in, the estimate of their line: the
run's own inputs and math (`analysis.estimates`) on the KPI figures so far, labelled as an estimate. Only the
reader's own line; a fixed number of queries however many plans or participants there are.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.formatting import format_percent_spaced
from core.home import HomePanel
from culture.models import Person

from .analysis import Estimate, current_plans, estimates
from .explain import component_table, stint_components_json


def home_panels(user) -> list[HomePanel]:
    """The reader's estimate per plan they are in this period; nothing for someone in no plan."""
    if not user.has_perm("incentives.view_payoutline"):
        return []
    person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    if person_id is None:
        return []
    found = estimates(person_id=person_id, plans=current_plans())
    if not found:
        return []
    context = {"estimates": [_estimate_row(estimate) for estimate in found]}
    title = _("My incentive progress this period")
    return [HomePanel("incentives.estimate", title, "incentives/home_estimate.html", context, order=25)]


def _estimate_row(estimate: Estimate) -> dict[str, Any]:
    line, currency = estimate.line, estimate.plan.currency
    language = get_language()
    return {
        "plan": estimate.plan,
        "period_code": estimate.plan.period.code,
        "currency": currency,
        "amount": line.amount,
        "target_amount": line.target_amount,
        "stints": [
            {
                "team": stint.team_label,
                "days": stint.days,
                "proration_pct": format_percent_spaced(stint.proration * 100, 1, language),
                "gates_met": stint.gates_met,
                "components": component_table(stint_components_json(stint, estimate.inputs.components, currency)),
            }
            for stint in line.stints
        ],
        "moved": len(line.stints) > 1,
    }
