"""After a person's erasure no page, export or API answer of the domain shows their name or email, except the
paid run's payroll records (its lines page and payroll export), and the audit trail names them by pseudonym.

The walk reuses the scoping walk's routes and URL kwargs over the access world, requested by everyone who
could see the person: the CCO and the administrator (everything), their team lead and the finance roles.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core.audit import record
from core.erasure import erase_person
from core.models import AuditEntry, Notification
from culture.models import Person, Review
from hiring.models import Application
from incentives import services as incentive_services
from incentives.models import PayoutRun, RetainedPayee
from reports.models import GeneratedReport
from reports.services import request_key

from .second_team import side_a
from .test_scoping_walk import ROUTES, _body, _kwargs, _requests

pytestmark = pytest.mark.django_db

OLD_NAME = "Eve Employee"
OLD_EMAIL = "eve@access.test"
HR_EMAIL = "eve.employee@hr.access.test"  # the employee record's own address, found through the login
WALKERS = ("cco", "admin", "lead_a")


def _mentions(text: str) -> list[str]:
    return [secret for secret in (OLD_NAME, OLD_EMAIL, HR_EMAIL) if secret.lower() in text.lower()]


def _archived(kind: str, parameters: dict, user) -> GeneratedReport:
    report = GeneratedReport(
        kind=kind,
        parameters=parameters,
        request_key=request_key(kind, parameters),
        requested_by=user,
        status=GeneratedReport.Status.DONE,
        progress=100,
    )
    report.file.save(f"{kind}-{parameters['line']}.pdf", ContentFile(f"%PDF-1.7 {OLD_NAME}".encode()))
    return report


def test_after_erasure_only_the_paid_runs_payroll_records_name_the_person(world):
    eve = world.users["employee"]
    admin = world.users["admin"]
    a = side_a(world)
    # given: Eve was paid in a run, acted once (audited), and is mentioned in mail, audit text, a review and notes
    Person.objects.filter(user=eve).update(email=HR_EMAIL)
    incentive_services.mark_payout_run_paid(run_id=world.run.pk, actor=world.users["cco"])
    acted = record(actor=eve, action="test.eve_acted", obj=world.team_a, reason="Eve Employee fixed a typo")
    Notification.objects.create(
        key="test.to-eve", recipient=eve, email=OLD_EMAIL, language="en", subject="Hi Eve", body="Dear Eve Employee"
    )
    Notification.objects.create(
        key="test.about-eve",
        recipient=world.users["lead_a"],
        email="lena@access.test",
        language="en",
        subject="Eve Employee's review",
        body=f"Write to {OLD_EMAIL} or {HR_EMAIL} about Eve Employee.",
    )
    Review.objects.filter(pk=a.review.pk).update(comment="Coached by Eve Employee on FCR")
    Application.objects.filter(pk=world.application.pk).update(notes="Referred by Eve Employee")
    paid_statement = _archived("incentive_statement", {"line": world.line.pk}, eve)
    draft_statement = _archived("incentive_statement", {"line": world.draft_line.pk}, eve)
    paid_run_pages = {
        reverse("incentives:run_detail", args=[world.run.pk]),
        reverse("reports:report_download", args=[paid_statement.pk]),
        # the payroll files issued for the paid run are accounting records too, kept as issued
        *(reverse("incentives:payroll_file", args=[pk]) for pk in world.run.payroll_files.values_list("pk", flat=True)),
    }
    walked = [(route, url) for route in ROUTES for url in _requests(route, a) if _kwargs(route, a) is not None]
    before = Counter(
        url.split("?")[0] in paid_run_pages
        for route, url in walked
        if _mentions(_body((world.apis if route.api else world.pages)["cco"].get(url)))
    )
    assert before[False] > 0 and before[True] > 0, "the walk sees Eve's name before the erasure"

    # when
    erasure = erase_person(email=OLD_EMAIL, actor=admin, reason="Request #42 from Eve Employee")

    # then: nothing but the paid run's payroll records names her
    shown, statuses = [], Counter()
    for role in WALKERS:
        for route, url in walked:
            client = world.apis[role] if route.api else world.pages[role]
            response = client.get(url)
            statuses[response.status_code] += 1
            if (found := _mentions(_body(response))) and url.split("?")[0] not in paid_run_pages:
                shown.append(f"{role} GET {url} ({response.status_code}): {found}")
    assert statuses[200] > 100
    assert not shown, f"{len(shown)} answers still show the erased person:\n" + "\n".join(shown)
    payroll = world.pages["cco"].get(reverse("incentives:run_detail", args=[world.run.pk]) + "?_export=csv")
    assert OLD_NAME in _body(payroll)
    draft_url = reverse("incentives:run_detail", args=[world.draft_line.run_id]) + "?_export=csv"
    draft = _body(world.pages["cco"].get(draft_url))
    assert not _mentions(draft) and f"E-ACC-1,{erasure.pseudonym}," in draft
    retained = RetainedPayee.objects.get(run=world.run, person__user=eve)
    assert (retained.name, retained.email, retained.employee_number) == (OLD_NAME, HR_EMAIL, "E-ACC-1")
    paid_on = timezone.localdate(PayoutRun.objects.get(pk=world.run.pk).paid_at)
    assert retained.retain_until == dt.date(paid_on.year + 7, 12, 31)

    # the login is kept, deactivated, under the pseudonym; the audit trail names who acted by that pseudonym
    eve.refresh_from_db()
    assert (eve.name, eve.email, eve.is_active, eve.has_usable_password()) == (
        erasure.pseudonym,
        erasure.pseudonym_email,
        False,
        False,
    )
    assert Person.objects.get(user=eve).name == erasure.pseudonym
    acted.refresh_from_db()
    assert str(acted.actor) == erasure.pseudonym and acted.reason == f"{erasure.pseudonym} fixed a typo"
    entry = AuditEntry.objects.get(action="person.erase")
    assert (entry.actor, entry.object_type, entry.object_id) == (admin, "users.user", str(eve.pk))
    assert entry.reason == f"Request #42 from {erasure.pseudonym}"
    trail = world.pages["admin"].get(reverse("admin:core_auditentry_changelist"))
    assert erasure.pseudonym in _body(trail) and not _mentions(_body(trail))
    for note in Notification.objects.filter(key__startswith="test."):
        assert not _mentions(f"{note.email} {note.subject} {note.body}"), note.key
    # the archive keeps the paid run's statement, and drops the draft run's (rebuilt on request, by pseudonym)
    kept = world.pages["cco"].get(reverse("reports:report_download", args=[paid_statement.pk]))
    assert kept.status_code == 200 and OLD_NAME in _body(kept)
    assert not GeneratedReport.objects.filter(pk=draft_statement.pk).exists()
    # her own session no longer opens anything
    assert world.pages["employee"].get(reverse("culture:team_list")).status_code == 302
