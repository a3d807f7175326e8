"""Writes to rubrics: create, edit competencies of a draft, publish, new version, install the standard one.

Each function takes keyword-only arguments, runs in one transaction and leaves an audit entry whose
payload holds ids and codes only, never a candidate's personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record, snapshot

from ..models import (
    Competency,
    Rubric,
    RubricVersion,
)

COMPETENCY_FIELDS = (
    "key",
    "name",
    "description",
    "weight",
    "anchor_1",
    "anchor_2",
    "anchor_3",
    "anchor_4",
    "anchor_5",
    "questions",
    "order",
)


# --- rubrics -------------------------------------------------------------------------------------------


def create_rubric(*, actor, name: str, description: str = "", competencies: Sequence[Mapping[str, Any]] = ()) -> Rubric:
    """A new rubric with a draft version 1 holding the given competencies."""
    with transaction.atomic():
        rubric = Rubric.objects.create(name=name, description=description)
        version = RubricVersion.objects.create(rubric=rubric, number=1)
        for order, data in enumerate(competencies):
            Competency.objects.create(version=version, **{"order": order, **data})
        record(actor=actor, action="hiring.rubric.created", obj=rubric, after={"version": version.pk})
    return rubric


def save_competencies(
    *, actor, version: RubricVersion, rows: Iterable[Mapping[str, Any]], delete_ids: Iterable[int] = ()
) -> RubricVersion:
    """Create, update and delete competencies of a draft version. `rows` carry `id` for existing ones."""
    with transaction.atomic():
        version = RubricVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            raise ValidationError(_("A published rubric version cannot change; create a new version."))
        existing = {c.pk: c for c in version.competencies.all()}
        before = {pk: snapshot(c, list(COMPETENCY_FIELDS)) for pk, c in existing.items()}
        deleted = [pk for pk in delete_ids if pk in existing]
        Competency.objects.filter(pk__in=deleted).delete()
        for data in rows:
            values = {k: data[k] for k in COMPETENCY_FIELDS if k in data}
            pk = data.get("id")
            if pk and pk in existing and pk not in deleted:
                for name, value in values.items():
                    setattr(existing[pk], name, value)
                existing[pk].save()
            elif not pk:
                Competency.objects.create(version=version, **values)
        after = {c.pk: snapshot(c, list(COMPETENCY_FIELDS)) for c in version.competencies.all()}
        record(actor=actor, action="hiring.rubric.edited", obj=version, before=before, after=after)
    return version


def publish_rubric_version(*, actor, version: RubricVersion) -> RubricVersion:
    """Freeze a draft version so positions can pin it. Publishing twice is a no-op."""
    with transaction.atomic():
        version = RubricVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            return version
        if not version.competencies.exists():
            raise ValidationError(_("Add at least one competency before publishing."))
        version.status = RubricVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        record(
            actor=actor,
            action="hiring.rubric.published",
            obj=version,
            before={"status": "draft"},
            after={"status": "published"},
        )
    return version


def new_rubric_version(*, actor, version: RubricVersion) -> RubricVersion:
    """A draft copy of `version` numbered after the latest; returns the existing draft if one is open."""
    with transaction.atomic():
        rubric = Rubric.objects.select_for_update().get(pk=version.rubric_id)
        draft = rubric.versions.filter(status=RubricVersion.Status.DRAFT).first()
        if draft is not None:
            return draft
        number = (rubric.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        copy = RubricVersion.objects.create(rubric=rubric, number=number)
        Competency.objects.bulk_create(
            Competency(version=copy, **{name: getattr(c, name) for name in COMPETENCY_FIELDS})
            for c in version.competencies.all()
        )
        record(actor=actor, action="hiring.rubric.versioned", obj=copy, after={"copied_from": version.pk})
    return copy


def install_standard_rubric(*, actor) -> RubricVersion:
    """The shipped service-orientation rubric, published as version 1; returns the existing one if present."""
    from . import standard

    with transaction.atomic():
        rubric = Rubric.objects.filter(name=standard.NAME).first()
        if rubric is None:
            rubric = create_rubric(
                actor=actor,
                name=standard.NAME,
                description=standard.DESCRIPTION,
                competencies=standard.COMPETENCIES,
            )
        version = rubric.versions.order_by("number").first()
        return publish_rubric_version(actor=actor, version=version)
