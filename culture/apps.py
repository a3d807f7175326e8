from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "culture"
    verbose_name = "Culture"

    def ready(self) -> None:
        from core import erasure

        from .org import erasure as hooks

        erasure.register("culture", collect=hooks.collect, erase=hooks.erase)
