"""seed_demo's alignment data: open actions on the demo employee's and lead's homes, recognition stories between
colleagues with two board picks, all made through the services (audited like a person's own)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.due import due_for
from core.models import AuditEntry
from culture.models import Recognition, ReviewAction
from users.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_shows_open_actions_and_recognition_on_the_homes(client):
    call_command("seed_demo", teams=8, people_per_team=6, months=3, seed=11)
    employee = User.objects.get(email="employee@centric.demo")
    lead = User.objects.get(email="lead@centric.demo")

    mine = ReviewAction.objects.open().filter(owner__user=employee)
    assert mine.count() == 1
    assert "culture.action" in {item.kind for item in due_for(employee)}
    assert ReviewAction.objects.open().filter(owner__user=lead).exists()

    # The employee and the lead recognise each other; the CCO two people in each of the first six teams.
    assert Recognition.objects.filter(given_by=employee, person=lead.person).count() == 1
    assert Recognition.objects.filter(given_by=lead, person=employee.person).count() == 1
    assert Recognition.objects.count() == 2 + 6 * 2
    assert Recognition.objects.filter(is_board_pick=True).count() == 2
    assert AuditEntry.objects.filter(action="recognition.give").count() == Recognition.objects.count()

    client.force_login(employee)
    home = client.get(reverse("home")).content.decode()
    assert mine.get().action in home
    assert Recognition.objects.get(person=employee.person).story[:40] in home
    # This month's Customer Care bonus is running: the employee sees their estimate of it.
    assert "Customer Care bonus" in home and "the payout is calculated when the period closes" in home


def test_the_same_seed_gives_the_same_actions_and_stories():
    call_command("seed_demo", teams=8, people_per_team=6, months=3, seed=11)
    first = (
        sorted(ReviewAction.objects.values_list("review__team__slug", "kpi__code", "owner__name", "due_date")),
        sorted(Recognition.objects.values_list("person__name", "value", "story", "is_board_pick")),
    )
    call_command("flush", interactive=False)
    from culture.measurements import STANDARD_KPIS
    from culture.models import Kpi
    from users.roles import sync_role_groups

    sync_role_groups()
    for row in STANDARD_KPIS:
        Kpi.objects.update_or_create(code=row["code"], defaults={**row, "is_standard": True})
    call_command("seed_demo", teams=8, people_per_team=6, months=3, seed=11)
    second = (
        sorted(ReviewAction.objects.values_list("review__team__slug", "kpi__code", "owner__name", "due_date")),
        sorted(Recognition.objects.values_list("person__name", "value", "story", "is_board_pick")),
    )
    assert second == first
