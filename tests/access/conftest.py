from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The company, built once for the module inside a transaction that is rolled back at its end.

    Each test's own transaction nests inside it as a savepoint, and every write probe rolls back its own
    savepoint, so the cells cannot see each other's effects whatever order they run in."""
    media = tmp_path_factory.mktemp("access-media")
    # The world's users re-authenticate once, when it is built; on a busy machine a module outlasts the 5 minutes
    # that keep it fresh, and the exports and erasures would ask again (asking is tested in tests/users/test_auth.py).
    settings = override_settings(
        MEDIA_ROOT=str(media), CENTRIC_REQUIRE_MFA=True, ACCOUNT_REAUTHENTICATION_TIMEOUT=24 * 3600
    )
    with django_db_blocker.unblock(), settings, transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
