from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Each document module registers its kind in reports.documents.REGISTRY on import.
        from culture.scorecards import register_close_check
        from culture.scorecards.stock import register_value_source

        from .documents import batch, board_report, statement, team_scorecard  # noqa: F401

        register_value_source(revenue_per_customer)
        register_close_check("reports.value_model", value_model_check)

        from core import erasure

        from . import erasure as hooks

        erasure.register("reports", erase=hooks.erase)


def revenue_per_customer(period_code: str):
    """The value model's average revenue per customer for the period (the customer bridge's price)."""
    from .models import ValueModel

    found = ValueModel.objects.filter(period__code=period_code).values_list("revenue_per_customer", flat=True)
    return found.first()


def value_model_check(period):
    """The close checklist's "no value model" item: without one, the period's board report shows no value."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from culture.scorecards import CheckItem

    from .models import ValueModel

    if ValueModel.objects.filter(period=period).exists():
        return [CheckItem("reports.no_value_model", _("No value model"), 0)]
    link = f"{reverse('reports:valuemodel_edit')}?period={period.code}"
    return [CheckItem("reports.no_value_model", _("No value model"), 1, [(_("Enter the value model"), link)])]
