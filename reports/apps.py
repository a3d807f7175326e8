from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Each document module registers its kind in reports.documents.REGISTRY on import.
        from .documents import batch, board_report, statement, team_scorecard  # noqa: F401
