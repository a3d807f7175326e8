from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self) -> None:
        from core import erasure

        from .candidates import erasure as hooks

        erasure.register("hiring", erase=hooks.erase)
