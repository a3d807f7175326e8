from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Each document module registers its kind in reports.documents.REGISTRY on import.
        from culture.scorecards.stock import register_value_source

        from .documents import batch, board_report, statement, team_scorecard  # noqa: F401

        register_value_source(revenue_per_customer)


def revenue_per_customer(period_code: str):
    """The average revenue per customer of the value model in force for the period (its own, else carried
    forward from the latest earlier one of the same kind): the customer bridge's price."""
    from culture.scorecards import parse_period

    from .models import ValueModel

    span = parse_period(period_code)
    model = ValueModel.objects.in_force(kind=span.kind.value, start=span.start)
    return model.revenue_per_customer if model else None
