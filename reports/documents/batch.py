"""Batch: every team's scorecard PDF of a period as one job, and an email to each current team lead.

The job's file is one zip (a manifest plus a PDF per team, in a fixed order with fixed timestamps, so a
closed period's zip is byte-identical too). Each PDF prints its own verification code, derived from the batch's
(`member_code`). After the job is done, `notify_leads` files each team's PDF
in the archive for each of its current leads (one `GeneratedReport` per lead, so the lead sees it in
their own archive) and emails them a link through the notification outbox (`core.notifications.notify`, one
event key per batch, team and lead, rendered in the lead's language, links from the CENTRIC_BASE_URL setting).
`BatchNotification` records who was sent which copy (the batch page lists them); the outbox's event key makes a
redelivered or retried job send each email once.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.notifications import notify
from culture.models import Membership, Period
from culture.scorecards import parse_period

from ..models import BatchNotification, GeneratedReport
from . import NO_STAMP, BuiltDocument, DocumentKind, Progress, Stamp, register
from .common import closing_key
from .team_scorecard import filename, gather_team_scorecards, generated_at, render_team_scorecard

MANIFEST = "manifest.json"


def _zip_time(period: Period | None, code: str) -> tuple[int, int, int, int, int, int]:
    """Zip entry timestamps from the data (the period's close, else its end), never the clock."""
    moment = generated_at(period)
    day = moment.date() if moment else parse_period(code).end
    return (day.year, day.month, day.day, 0, 0, 0)


def member_code(batch_code: str, slug: str) -> str:
    """A team PDF's own verification code inside a batch: derived from the batch's code (50 random bits) and
    the team, so a redelivered build writes the same bytes; one team's code tells nothing of another's."""
    if not batch_code:
        return ""
    digest = hashlib.sha256(f"{batch_code}:{slug}".encode()).digest()
    return base64.b32encode(digest).decode()[: len(batch_code)]


def build(params: Mapping[str, Any], progress: Progress, stamp: Stamp = NO_STAMP) -> BuiltDocument:
    """The zip of every team's PDF. The zip itself prints nothing; each PDF prints its own verification code
    (`member_code`, in the manifest), and `notify_leads` files each PDF in the archive under it, so the verify
    page and command accept a PDF taken out of the zip."""
    teams = gather_team_scorecards(period_code=params["period"])
    progress(5)
    zip_time = _zip_time(teams[0].period if teams else None, params["period"])
    manifest: dict[str, Any] = {"period": params["period"], "teams": {}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index, data in enumerate(teams, start=1):
            code = member_code(stamp.verification_code, data.team.slug)
            pdf, checksum = render_team_scorecard(data, stamp=Stamp(code, stamp.verify_url) if code else NO_STAMP)
            name = filename(data)
            archive.writestr(zipfile.ZipInfo(name, date_time=zip_time), pdf)
            manifest["teams"][data.team.slug] = {
                "file": name,
                "sha256": hashlib.sha256(pdf).hexdigest(),
                "input_sha256": checksum,
                "verification_code": code,
            }
            progress(5 + 90 * index // max(len(teams), 1))
        body = json.dumps(manifest, sort_keys=True, indent=1).encode()
        archive.writestr(zipfile.ZipInfo(MANIFEST, date_time=zip_time), body)
    overall = hashlib.sha256(body).hexdigest()
    return BuiltDocument(
        content=buffer.getvalue(), filename=f"team-scorecards-{params['period']}.zip", input_checksum=overall
    )


def _store_member(batch: GeneratedReport, archive: zipfile.ZipFile, name: str, checksum: str) -> str:
    """Store one team's PDF out of the zip under a name fixed by batch and content (idempotent)."""
    storage = batch.file.storage
    path = f"reports/team_scorecard/b{batch.pk}-{checksum[:16]}-{name}"  # the download name is after the 2nd dash
    if not storage.exists(path):
        stored = storage.save(path, ContentFile(archive.read(name)))
        if stored != path:  # a concurrent rerun wrote it first; keep one copy
            storage.delete(stored)
    return path


def batch_event_key(batch_id: int, team_id: int, user_id: int) -> str:
    """The outbox event of one batch email: the same batch, team and lead is one email, however often it runs."""
    return f"reports.batch:{batch_id}:team={team_id}:lead={user_id}"


def notify_leads(batch: GeneratedReport) -> int:
    """File each team's PDF for its current leads (a team without one: for whoever asked for the batch) and queue
    one email per lead in the outbox; returns emails queued now."""
    from ..services import archive_copy

    period = batch.parameters["period"]
    with batch.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    manifest = json.loads(archive.read(MANIFEST))
    leads: dict[str, list[Membership]] = defaultdict(list)
    memberships = (
        Membership.objects.current()
        .filter(role=Membership.Role.LEAD, person__user__isnull=False, team__slug__in=list(manifest["teams"]))
        .select_related("person__user", "team")
        .order_by("team__slug", "person__user_id")
    )
    for membership in memberships:
        leads[membership.team.slug].append(membership)
    sent = 0
    names: dict[str, str] = {}
    for slug, entry in manifest["teams"].items():
        names[slug] = _store_member(batch, archive, entry["file"], entry["sha256"])
        if slug in leads:
            continue  # filed below for each lead, under the PDF's own code
        # A team without a lead to send it to: its PDF is filed for whoever asked for the batch, so every PDF
        # taken out of the zip verifies by its bytes and its code.
        archive_copy(
            kind="team_scorecard",
            parameters={"team": slug, "period": period},
            source=batch,
            name=names[slug],
            checksum=entry["sha256"],
            input_checksum=entry["input_sha256"],
            user=batch.requested_by,
            verification_code=entry.get("verification_code"),
        )
    for slug, members in leads.items():
        entry = manifest["teams"][slug]
        name = names[slug]
        for membership in members:
            user, team = membership.person.user, membership.team
            assert user is not None  # the query keeps leads with a login only
            report = archive_copy(
                kind="team_scorecard",
                parameters={"team": slug, "period": period},
                source=batch,
                name=name,
                checksum=entry["sha256"],
                input_checksum=entry["input_sha256"],
                user=user,
                verification_code=entry.get("verification_code"),
            )
            with transaction.atomic():
                note, _created = BatchNotification.objects.select_for_update().get_or_create(
                    batch=batch, team=team, recipient=user, defaults={"report": report}
                )
                if note.sent_at is not None:
                    continue
                notify(
                    recipient=user,
                    key=batch_event_key(batch.pk, team.pk, user.pk),
                    template="reports/email/batch_scorecard",
                    context={
                        "name": membership.person.name,
                        "team": team.name,
                        "period": period,
                        "link_path": reverse("reports:report_download", kwargs={"pk": note.report_id}),
                    },
                )
                note.sent_at = timezone.now()  # handed to the outbox, which sends it exactly once
                note.save(update_fields=["sent_at"])
                sent += 1
    return sent


def clean_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    return {"period": parse_period(str(params.get("period", "")).strip()).code}


def is_final(params: Mapping[str, Any]) -> bool:
    return Period.objects.filter(code=params["period"], status=Period.Status.CLOSED).exists()


KIND = register(
    DocumentKind(
        kind="team_scorecards_batch",
        label=gettext_lazy("All team scorecards (batch)"),
        permission="reports.change_valuemodel",
        build=build,
        clean_parameters=clean_parameters,
        is_final=is_final,
        after_done=notify_leads,
        # The team PDFs of a closed period read its closing: the copies filed for the leads carry its checksum,
        # so the verify page calls them genuine (they were "superseded" with an empty key before).
        frozen_key=closing_key,
    )
)
