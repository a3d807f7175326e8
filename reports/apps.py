from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Each document module registers its kind in reports.documents.REGISTRY on import.
        from culture.scorecards import register_close_check, register_comparison_periods, register_freezer
        from culture.scorecards.stock import register_value_source

        from .documents import batch, board_report, statement, team_scorecard  # noqa: F401

        register_value_source(revenue_per_customer)
        register_close_check("reports.value_model", value_model_check)

        from .frozen import baseline_periods, freeze_value_model

        register_freezer("reports.value_model", freeze_value_model)
        register_comparison_periods("reports.baseline", baseline_periods)

        from core import erasure

        from . import erasure as hooks

        erasure.register("reports", erase=hooks.erase)


def revenue_per_customer(period_code: str):
    """The average revenue per customer of the value model in force for the period (its own, else carried
    forward from the latest earlier one of the same kind): the customer bridge's price."""
    from culture.scorecards import parse_period

    from .models import ValueModel

    span = parse_period(period_code)
    model = ValueModel.objects.in_force(kind=span.kind.value, start=span.start)
    return model.revenue_per_customer if model else None


def value_model_check(period):
    """The close checklist's "no value model" item: without one in force (its own or carried forward), the
    period's board report shows no value."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from culture.scorecards import CheckItem

    from .models import ValueModel

    if ValueModel.objects.in_force(kind=period.kind, start=period.start) is not None:
        return [CheckItem("reports.no_value_model", _("No value model"), 0)]
    link = f"{reverse('reports:valuemodel_edit')}?period={period.code}"
    return [CheckItem("reports.no_value_model", _("No value model"), 1, [(_("Enter the value model"), link)])]
