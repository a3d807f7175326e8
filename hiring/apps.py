from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self) -> None:
        from core import due, erasure

        from .candidates import erasure as hooks
        from .due import due_for

        due.register("hiring", due_for)
        erasure.register("hiring", erase=hooks.erase)
