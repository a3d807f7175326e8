from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CultureConfig(AppConfig):
    name = "culture"
    verbose_name = "Culture"

    def ready(self) -> None:
        from core import due, erasure, home

        from .due import due_for
        from .home import home_panels_with_recognition
        from .org import erasure as hooks
        from .pulse.due import due_for as pulse_due_for
        from .pulse.linkage import freeze_board_chain
        from .scorecards import register_freezer
        from .scorecards.memo import install_change_triggers

        erasure.register("culture", collect=hooks.collect, erase=hooks.erase)
        due.register("culture", due_for)
        due.register("culture.pulse", pulse_due_for)
        home.register("culture", home_panels_with_recognition)
        register_freezer("culture.chain", freeze_board_chain)
        # After every migrate, so that a culture table added by a later migration is counted too.
        post_migrate.connect(install_change_triggers, dispatch_uid="culture.install_change_triggers")
