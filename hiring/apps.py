from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self) -> None:
        from core import due, erasure
        from culture.scorecards import register_freezer

        from .candidates import erasure as hooks
        from .due import due_for
        from .insights.quality import frozen_hires

        due.register("hiring", due_for)
        erasure.register("hiring", erase=hooks.erase)
        register_freezer("hiring.quality", frozen_hires)
