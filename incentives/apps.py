from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = "Incentives"

    def ready(self) -> None:
        from culture.scorecards import register_close_check, register_reopen_guard

        from .closing import draft_runs_check, locked_runs_guard

        register_close_check("incentives.draft_runs", draft_runs_check)
        register_reopen_guard("incentives.locked_runs", locked_runs_guard)
