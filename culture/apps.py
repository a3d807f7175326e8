from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "culture"
    verbose_name = "Culture"

    def ready(self) -> None:
        from core import due

        from .due import due_for

        due.register("culture", due_for)
