from __future__ import annotations

import pytest
from django.core.cache import cache

from culture.models import Membership
from users.roles import Role

from .factories import MembershipFactory, PersonFactory, TeamFactory, UserFactory


def pytest_collection_modifyitems(config, items):
    """A transactional test flushes the database; without serialized_rollback the next one would start
    without the migrated data (permissions, role groups, the KPI catalogue). Tests marked `postgresql`
    are deselected on other databases (CI's second run, on PostgreSQL, runs them)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        deselected = [item for item in items if item.get_closest_marker("postgresql")]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
    for item in items:
        for mark in item.iter_markers("django_db"):
            if mark.kwargs.get("transaction") and not mark.kwargs.get("serialized_rollback"):
                raise pytest.UsageError(f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)")


@pytest.fixture(autouse=True)
def _active_language_restored():
    """A request through the test client activates its reader's language in the thread and leaves it active
    (as in a server thread, where the next request activates its own): a test after one by a Swedish user
    would otherwise run in Swedish. Each test ends in the language it started in."""
    from django.utils import translation

    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Tasks run in the test's own process and database, even when CI configures a broker; only tests
    marked `worker` send them to the real worker."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    from config.celery_app import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; each test starts fresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mfa_off(settings):
    settings.CENTRIC_REQUIRE_MFA = False


@pytest.fixture
def admin_client(client, mfa_off):
    """A superuser signed in to the admin without a second factor (`client.user` is that user); replaces
    pytest-django's fixture of the same name, whose user would be sent to enrol in MFA first."""
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def cco(mfa_off):
    return UserFactory(email="cco@example.com", roles=[Role.CCO])


@pytest.fixture
def recruiter(mfa_off):
    return UserFactory(email="hr@example.com", roles=[Role.HR])


@pytest.fixture
def team_a():
    return TeamFactory(name="Team A", slug="team-a")


@pytest.fixture
def team_b():
    return TeamFactory(name="Team B", slug="team-b")


def _person_in(team, role, email):
    user = UserFactory(email=email, roles=[Role.LEAD if role == Membership.Role.LEAD else Role.EMPLOYEE])
    person = PersonFactory(user=user, name=email.split("@")[0])
    MembershipFactory(person=person, team=team, role=role)
    return user


@pytest.fixture
def lead_a(team_a):
    return _person_in(team_a, Membership.Role.LEAD, "lead.a@example.com")


@pytest.fixture
def lead_b(team_b):
    return _person_in(team_b, Membership.Role.LEAD, "lead.b@example.com")


@pytest.fixture
def employee_a(team_a):
    return _person_in(team_a, Membership.Role.MEMBER, "employee.a@example.com")
