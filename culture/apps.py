from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "culture"
    verbose_name = "Culture"

    def ready(self) -> None:
        from core import due, home

        from .due import due_for
        from .home import home_panels_with_recognition

        due.register("culture", due_for)
        home.register("culture", home_panels_with_recognition)
