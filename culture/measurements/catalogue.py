"""The KPI catalogue: the standard KPIs shipped with Centric (DESIGN.md formula table) as plain data, and
the write path for user-defined KPIs (the standard ones are read-only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext

from core.audit import record, snapshot

from ..models import Kpi

STANDARD_KPIS: list[dict[str, object]] = [
    {
        "code": "nps",
        "name": "Net Promoter Score",
        "definition": "100 x (promoters (9-10) - detractors (0-6)) / responses",
        "category": "loyalty",
        "unit": "score",
        "direction": "higher",
        "aggregation": "ratio",
        "scale": 100,
        "decimals": 0,
        "survey": "nps",
    },
    {
        "code": "csat",
        "name": "Customer satisfaction",
        "definition": "100 x responses scoring 4-5 / responses (1-5 scale)",
        "category": "satisfaction",
        "unit": "percent",
        "direction": "higher",
        "aggregation": "ratio",
        "scale": 100,
        "decimals": 1,
        "survey": "csat",
    },
    {
        "code": "ces",
        "name": "Customer effort score",
        "definition": "mean score on a 1-7 scale (higher is easier)",
        "category": "effort",
        "unit": "score",
        "direction": "higher",
        "aggregation": "mean",
        "scale": 1,
        "decimals": 2,
        "survey": "ces",
    },
    {
        "code": "fcr",
        "name": "First-contact resolution",
        "definition": "100 x contacts resolved at first contact / contacts",
        "category": "efficiency",
        "unit": "percent",
        "direction": "higher",
        "aggregation": "ratio",
        "scale": 100,
        "decimals": 1,
        "survey": "",
    },
    {
        "code": "retention_rate",
        "name": "Customer retention rate",
        "definition": (
            "100 x (customers at the period's end - customers gained in it) / customers at its start "
            "(the first day's opening base)"
        ),
        "category": "retention",
        "unit": "percent",
        "direction": "higher",
        "aggregation": "retention",
        "scale": 100,
        "decimals": 1,
        "survey": "",
    },
    {
        "code": "churn_rate",
        "name": "Churn rate",
        "definition": ("100 x customers lost in the period / customers at its start (the first day's opening base)"),
        "category": "retention",
        "unit": "percent",
        "direction": "lower",
        "aggregation": "churn",
        "scale": 100,
        "decimals": 2,
        "survey": "",
    },
    {
        "code": "aht",
        "name": "Average handle time",
        "definition": "mean handle time in seconds (lower is better)",
        "category": "efficiency",
        "unit": "seconds",
        "direction": "lower",
        "aggregation": "mean",
        "scale": 1,
        "decimals": 0,
        "survey": "",
    },
    {
        "code": "self_service_rate",
        "name": "Self-service rate",
        "definition": "100 x contacts resolved by self-service / all contacts",
        "category": "efficiency",
        "unit": "percent",
        "direction": "higher",
        "aggregation": "ratio",
        "scale": 100,
        "decimals": 1,
        "survey": "",
    },
    {
        "code": "cost_per_contact",
        "name": "Cost per contact",
        "definition": "service cost / contacts (lower is better)",
        "category": "profitability",
        "unit": "currency",
        "direction": "lower",
        "aggregation": "ratio",
        "scale": 1,
        "decimals": 2,
        "survey": "",
    },
    {
        "code": "repeat_purchase_rate",
        "name": "Repeat purchase rate",
        "definition": "100 x customers with 2+ purchases / customers",
        "category": "loyalty",
        "unit": "percent",
        "direction": "higher",
        "aggregation": "ratio",
        "scale": 100,
        "decimals": 1,
        "survey": "",
    },
    {
        "code": "customers_gained",
        "name": "Customers gained",
        "definition": "number of new customers in the period (customer asset view)",
        "category": "retention",
        "unit": "count",
        "direction": "higher",
        "aggregation": "sum",
        "scale": 1,
        "decimals": 0,
        "survey": "",
    },
    {
        "code": "customers_lost",
        "name": "Customers lost",
        "definition": "number of customers lost in the period (customer asset view)",
        "category": "retention",
        "unit": "count",
        "direction": "lower",
        "aggregation": "sum",
        "scale": 1,
        "decimals": 0,
        "survey": "",
    },
]

# What an aggregation was before the column could hold it: churn and retention were ratios of daily rows
# until the stock KPIs (migration 0009), so a migration before that loads them as such.
EARLIER_AGGREGATIONS = {"churn": "ratio", "retention": "ratio"}


def catalogue_for(kpi_model: type[Model]) -> list[dict[str, object]]:
    """The standard KPIs as a (historical) Kpi model can hold them, for data migrations that load the live
    catalogue: fields the model does not have yet are left out, and an aggregation its column cannot hold
    (not among its choices) becomes the one it was before (`EARLIER_AGGREGATIONS`)."""
    names = {field.name for field in kpi_model._meta.concrete_fields}
    choices = getattr(kpi_model._meta.get_field("aggregation"), "choices", None) or ()
    allowed = {value for value, _label in choices}
    rows = []
    for row in STANDARD_KPIS:
        kept = {name: value for name, value in row.items() if name in names}
        aggregation = str(kept["aggregation"])
        if allowed and aggregation not in allowed:
            kept["aggregation"] = EARLIER_AGGREGATIONS[aggregation]
        rows.append(kept)
    return rows


KPI_FIELDS = ["code", "name", "definition", "category", "unit", "direction", "aggregation", "scale", "decimals"]


def save_user_kpi(*, kpi: Kpi, actor) -> Kpi:
    """Create or update a user-defined KPI (validated by its form) and leave an audit entry."""
    if kpi.is_standard:
        raise PermissionDenied(gettext("Standard KPIs are read-only."))
    with transaction.atomic():
        before = None
        if kpi.pk:
            before = snapshot(Kpi.objects.select_for_update().get(pk=kpi.pk), KPI_FIELDS)
        kpi.save()
        record(
            actor=actor,
            action="kpi.update" if before else "kpi.create",
            obj=kpi,
            before=before,
            after=snapshot(kpi, KPI_FIELDS),
        )
    return kpi
