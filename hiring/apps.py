from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self) -> None:
        from core import due

        from .interviews.due import hire_reviews_due_for

        due.register("hiring.hire_reviews", hire_reviews_due_for)
