from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = "Incentives"

    def ready(self) -> None:
        from core import due, erasure, home
        from culture.scorecards import register_close_check, register_freezer, register_reopen_guard

        from . import erasure as hooks
        from .approvals import due_for
        from .closing import draft_runs_check, locked_runs_guard
        from .home import home_panels
        from .spend import frozen_spend

        due.register("incentives", due_for)
        erasure.register("incentives", erase=hooks.erase)
        home.register("incentives", home_panels)
        register_close_check("incentives.draft_runs", draft_runs_check)
        register_reopen_guard("incentives.locked_runs", locked_runs_guard)
        register_freezer("incentives.spend", frozen_spend)
