from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "culture"
    verbose_name = "Culture"

    def ready(self) -> None:
        from core import due, erasure

        from .org import erasure as hooks
        from .pulse.due import due_for

        erasure.register("culture", collect=hooks.collect, erase=hooks.erase)
        due.register("culture.pulse", due_for)
