"""Writes to pulses: the question library (install, new version, publish), publishing a pulse with its
invitations and emails, and answering one. Keyword-only arguments, one transaction each, audited.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterable, Mapping, Sequence

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record

from ..models import (
    Department,
    Membership,
    Pulse,
    PulseAnswer,
    PulseInvitation,
    PulseLibraryVersion,
    PulseQuestion,
    Team,
)

TOKEN_SALT = "culture.pulse.invitation"  # noqa: S105 - a signing namespace, not a secret

# The shipped library: eNPS and the three customer-centric statements of issue 16 (English source text,
# translated where shown through the catalogue like every other string).
STANDARD_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("enps", PulseQuestion.Kind.ENPS, "How likely are you to recommend working here to a friend?"),
    ("impact", PulseQuestion.Kind.AGREEMENT, "I know how my work affects our customers."),
    ("autonomy", PulseQuestion.Kind.AGREEMENT, "I can solve a customer's problem without asking for permission."),
    ("feedback", PulseQuestion.Kind.AGREEMENT, "Customer feedback reaches my team quickly."),
)


# --- the question library --------------------------------------------------------------------------------


def install_standard_library(*, actor) -> PulseLibraryVersion:
    """The shipped questions, published as version 1; the existing published version when there is one."""
    with transaction.atomic():
        existing = PulseLibraryVersion.objects.filter(status=PulseLibraryVersion.Status.PUBLISHED).first()
        if existing is not None:
            return existing
        version = PulseLibraryVersion.objects.create(
            number=1, status=PulseLibraryVersion.Status.PUBLISHED, published_at=timezone.now()
        )
        PulseQuestion.objects.bulk_create(
            PulseQuestion(version=version, key=key, kind=kind, text=text, order=order)
            for order, (key, kind, text) in enumerate(STANDARD_QUESTIONS)
        )
        record(actor=actor, action="culture.pulse_library.installed", obj=version, after={"number": 1})
    return version


def new_library_version(*, actor, version: PulseLibraryVersion) -> PulseLibraryVersion:
    """A draft copy of `version` numbered after the latest; the open draft if there is one."""
    with transaction.atomic():
        draft = PulseLibraryVersion.objects.select_for_update().filter(status=PulseLibraryVersion.Status.DRAFT).first()
        if draft is not None:
            return draft
        number = (PulseLibraryVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        copy = PulseLibraryVersion.objects.create(number=number)
        PulseQuestion.objects.bulk_create(
            PulseQuestion(version=copy, key=q.key, kind=q.kind, text=q.text, order=q.order)
            for q in version.questions.all()
        )
        record(actor=actor, action="culture.pulse_library.versioned", obj=copy, after={"copied_from": version.pk})
    return copy


def save_questions(
    *, actor, version: PulseLibraryVersion, rows: Iterable[Mapping], delete_ids: Iterable[int] = ()
) -> PulseLibraryVersion:
    """Create, update and delete questions of a draft version (`rows` carry `id` for existing ones)."""
    fields = ("key", "kind", "text", "order")
    with transaction.atomic():
        version = PulseLibraryVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            raise ValidationError(_("A published question library cannot change; create a new version."))
        existing = {q.pk: q for q in version.questions.all()}
        deleted = [pk for pk in delete_ids if pk in existing]
        PulseQuestion.objects.filter(pk__in=deleted).delete()
        for data in rows:
            values = {k: data[k] for k in fields if k in data}
            pk = data.get("id")
            if pk and pk in existing and pk not in deleted:
                PulseQuestion.objects.filter(pk=pk).update(**values)
            elif not pk:
                PulseQuestion.objects.create(version=version, **values)
        after = list(version.questions.values("key", "kind", "text", "order"))
        record(actor=actor, action="culture.pulse_library.edited", obj=version, after={"questions": after})
    return version


def publish_library_version(*, actor, version: PulseLibraryVersion) -> PulseLibraryVersion:
    """Freeze a draft so pulses can use it; at most one eNPS question. Publishing twice is a no-op."""
    with transaction.atomic():
        version = PulseLibraryVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            return version
        kinds = list(version.questions.values_list("kind", flat=True))
        if not kinds:
            raise ValidationError(_("Add at least one question before publishing."))
        if kinds.count(PulseQuestion.Kind.ENPS) > 1:
            raise ValidationError(_("A question library holds at most one eNPS question."))
        version.status = PulseLibraryVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        record(actor=actor, action="culture.pulse_library.published", obj=version, after={"status": "published"})
    return version


# --- pulses ------------------------------------------------------------------------------------------------


def signed_token(invitation: PulseInvitation) -> str:
    """The personal link's secret: the invitation's random token, signed so a forged one is refused unread."""
    return signing.Signer(salt=TOKEN_SALT).sign(invitation.token)


def invitation_for_link(signed: str) -> PulseInvitation | None:
    """The invitation behind a personal link, or None for a forged or unknown one."""
    try:
        token = signing.Signer(salt=TOKEN_SALT).unsign(signed)
    except signing.BadSignature:
        return None
    return PulseInvitation.objects.select_related("pulse", "team").filter(token=token).first()


def answer_url(invitation: PulseInvitation) -> str:
    return reverse("culture:pulse_answer", kwargs={"token": signed_token(invitation)})


def org_snapshot(teams: Iterable[Team]) -> dict[str, list[int]]:
    """Team id -> its department and that department's ancestors, nearest first (the pulse's frozen groups)."""
    tree = Department.objects.tree()
    departments = Team.objects.filter(pk__in=[team.pk for team in teams]).values_list("pk", "department_id")
    return {str(team): tree.chain(department) for team, department in departments}


def publish_pulse(
    *,
    actor,
    title: str,
    library_version: PulseLibraryVersion,
    teams: Sequence[Team],
    opens_on: dt.date,
    closes_on: dt.date,
    repeat_every_months: int | None = None,
    follows: Pulse | None = None,
) -> Pulse:
    """A pulse for the teams' current members: one invitation each (a person in two teams: their first), and
    an email with the personal link to each one who has a login. Idempotent per person through the
    invitation's uniqueness and the notification key."""
    from core.notifications import notify

    if not library_version.is_published:
        raise ValidationError(_("Only a published question library can be sent."))
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The pulse must close on or after the day it opens.")})
    with transaction.atomic():
        pulse = Pulse.objects.create(
            title=title,
            library_version=library_version,
            opens_on=opens_on,
            closes_on=closes_on,
            repeat_every_months=repeat_every_months,
            follows=follows,
            created_by=actor,
        )
        pulse.teams.set(teams)
        pulse.org_at_publish = org_snapshot(teams)
        pulse.save(update_fields=["org_at_publish"])
        memberships = (
            Membership.objects.current(opens_on)
            .filter(team__in=teams, person__is_active=True)
            .select_related("person__user")
            .order_by("person_id", "start", "pk")
        )
        invited: dict[int, PulseInvitation] = {}
        for membership in memberships:
            if membership.person_id not in invited:
                invited[membership.person_id] = PulseInvitation(
                    pulse=pulse, person=membership.person, team_id=membership.team_id
                )
        PulseInvitation.objects.bulk_create(invited.values())
        for invitation in PulseInvitation.objects.filter(pulse=pulse).select_related("person__user"):
            user = invitation.person.user
            if user is not None and user.is_active and user.email:
                notify(
                    recipient=user,
                    key=f"culture.pulse.{pulse.pk}.invitation.{invitation.person_id}",
                    template="culture/email/pulse_invitation",
                    context={"pulse": pulse, "link": answer_url(invitation)},
                )
        record(
            actor=actor,
            action="culture.pulse.published",
            obj=pulse,
            after={"teams": sorted(t.pk for t in teams), "invited": len(invited)},
        )
    return pulse


def is_open(pulse: Pulse, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return pulse.opens_on <= today <= pulse.closes_on


def submit_answers(*, invitation: PulseInvitation, scores: Mapping[int, int], today: dt.date | None = None) -> None:
    """Stores one anonymous response (random ids; pulse, team, question, score) and marks the invitation
    answered, in one transaction; a second answer, a closed pulse or a missing/out-of-scale score is refused.

    No audit entry: an entry would tie the person to the moment of answering.
    """
    with transaction.atomic():
        invitation = PulseInvitation.objects.select_for_update().select_related("pulse").get(pk=invitation.pk)
        if invitation.has_answered:
            raise ValidationError(_("You have already answered this pulse."))
        if not is_open(invitation.pulse, today):
            raise ValidationError(_("This pulse is not open."))
        questions = list(PulseQuestion.objects.filter(version_id=invitation.pulse.library_version_id))
        for question in questions:
            score = scores.get(question.pk)
            if score is None or score not in question.scale:
                raise ValidationError(_("Answer every question on its scale."))
        response = uuid.uuid4()
        mine = [
            PulseAnswer(
                response=response,
                pulse_id=invitation.pulse_id,
                team_id=invitation.team_id,
                question=question,
                score=scores[question.pk],
            )
            for question in questions
        ]
        _store_shuffled(pulse_id=invitation.pulse_id, team_id=invitation.team_id, new=mine)
        updated = PulseInvitation.objects.filter(pk=invitation.pk, has_answered=False).update(has_answered=True)
        if updated != 1:  # pragma: no cover - the row lock above makes this unreachable
            raise ValidationError(_("You have already answered this pulse."))


def _store_shuffled(*, pulse_id: int, team_id: int, new: list[PulseAnswer]) -> None:
    """Adds `new` by writing all of the team's answers to this pulse again, in a random order.

    The answer rows must not tell which invitation they belong to, and the database itself records two things
    per row: the transaction that wrote it (PostgreSQL's xmin, which the invitation's "answered" flag, set in
    the same transaction, shares) and where it sits (PostgreSQL's ctid, SQLite's rowid: the order of
    answering, which the invitations' xmin also give). Written again together, every answer of the team
    carries the latest transaction and a shuffled place, so neither joins them to a person. The pulse row
    is locked first so two answers of one team never rewrite the same rows at once.
    """
    Pulse.objects.select_for_update().filter(pk=pulse_id).values_list("pk", flat=True).get()
    team_answers = PulseAnswer.objects.filter(pulse_id=pulse_id, team_id=team_id)
    rows = [*team_answers, *new]
    team_answers.delete()
    random.SystemRandom().shuffle(rows)
    PulseAnswer.objects.bulk_create(rows)
