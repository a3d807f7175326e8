from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = "Incentives"

    def ready(self) -> None:
        from core import erasure

        from . import erasure as hooks

        erasure.register("incentives", erase=hooks.erase)
