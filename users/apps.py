from django.apps import AppConfig
from django.db.models.signals import post_migrate


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Users and roles"

    def ready(self) -> None:
        from .roles import sync_role_groups

        # Groups need the permissions that only exist after every app has migrated.
        post_migrate.connect(sync_role_groups, dispatch_uid="users.sync_role_groups")
        from core import erasure

        from . import erasure as hooks

        erasure.register("users", collect=hooks.collect, erase=hooks.erase)
