from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Each document module registers its kind in reports.documents.REGISTRY on import.
        from culture.scorecards.stock import register_value_source

        from .documents import batch, board_report, statement, team_scorecard  # noqa: F401

        register_value_source(revenue_per_customer)

        from core import erasure

        from . import erasure as hooks

        erasure.register("reports", erase=hooks.erase)


def revenue_per_customer(period_code: str):
    """The value model's average revenue per customer for the period (the customer bridge's price)."""
    from .models import ValueModel

    found = ValueModel.objects.filter(period__code=period_code).values_list("revenue_per_customer", flat=True)
    return found.first()
