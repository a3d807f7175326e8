"""People sync pages: upload -> preview of the difference grouped by kind -> confirm and apply."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from core.views import BreadcrumbMixin

from ...measurements import pending
from ...models import Team
from .api import SYNC_PERMISSION
from .calculations import FIELDS
from .forms import PeopleSyncUploadForm
from .presets import presets
from .services import KIND_TITLES, SyncResult, sync_people_file

KIND = "people_sync"
OPTIONS_KEY = "people_sync_options"
SHOWN_PER_KIND = 200  # a 5,000-person first sync lists counts in full, names for the first 200 of each kind


def _breadcrumbs(*tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(str(_("People")), reverse("culture:person_list")), *tail]


class PeopleSyncUploadView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    permission_required = SYNC_PERMISSION
    form_class = PeopleSyncUploadForm
    template_name = "culture/people_sync_form.html"
    title = _("People sync")
    scoping = "none: the upload form for the HR system's file, for holders of culture.change_person (the whole org)"

    def get_breadcrumbs(self):
        return _breadcrumbs((str(self.title), None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["columns"] = ",".join(FIELDS)
        context["presets"] = presets().values()
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        checksum = pending.store_upload(upload)
        pending.remember(self.request.session, checksum=checksum, kind=KIND, filename=upload.name)
        options = self.request.session.get(OPTIONS_KEY, {})
        effective = form.cleaned_data["effective"]
        options[checksum] = {
            "preset": form.cleaned_data["preset"],
            "separator": form.cleaned_data["separator"],
            "effective": effective.isoformat() if effective else "",
        }
        self.request.session[OPTIONS_KEY] = options
        return HttpResponseRedirect(reverse("culture:people_sync_preview", args=[checksum]))


class _PendingSyncMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = SYNC_PERMISSION
    scoping = (
        "none: the requester's own pending upload (from their session) against the whole org, "
        "for holders of culture.change_person"
    )
    # Provided by the View this is mixed into; named for the type checker (as core.views.ScopedQuerysetMixin does).
    request: HttpRequest

    def run(self, checksum: str, *, dry_run: bool) -> tuple[dict, SyncResult]:
        try:
            entry = pending.recall(self.request.session, checksum)
        except ValueError:
            entry = None
        options = self.request.session.get(OPTIONS_KEY, {}).get(checksum)
        if entry is None or entry["kind"] != KIND or options is None:
            raise Http404("No such upload waiting for confirmation.")
        with pending.open_upload(checksum) as stream:
            result = sync_people_file(
                stream=stream,
                filename=entry["filename"],
                actor=self.request.user,
                preset=options["preset"],
                separator=options["separator"] or None,
                effective=dt.date.fromisoformat(options["effective"]) if options["effective"] else None,
                dry_run=dry_run,
            )
        return {**entry, **options}, result

    def render_preview(self, checksum: str, entry: dict, result: SyncResult, *, status: int = 200):
        grouped = result.plan.by_kind()
        team_names = dict(
            Team.objects.filter(pk__in={t for c in result.plan.changes for t in c.from_teams}).values_list("pk", "name")
        )
        groups = [
            {
                "kind": kind,
                "label": KIND_TITLES[kind],
                "count": count,
                "changes": [_line(change, team_names) for change in grouped.get(kind, [])[:SHOWN_PER_KIND]],
                "hidden": max(count - SHOWN_PER_KIND, 0),
            }
            for kind, count in result.counts.items()
        ]
        context = {
            "title": _("Check the people sync"),
            "breadcrumbs": _breadcrumbs(
                (str(_("People sync")), reverse("culture:people_sync")), (str(_("Check")), None)
            ),
            "checksum": checksum,
            "entry": entry,
            "result": result,
            "groups": groups,
            "departments": result.plan.departments[:SHOWN_PER_KIND],
            "teams": result.plan.teams[:SHOWN_PER_KIND],
            "team_names": team_names,
        }
        return render(self.request, "culture/people_sync_preview.html", context, status=status)


def _line(change, team_names: dict[int, str]) -> dict[str, Any]:
    """One change as the preview table shows it."""
    closes = [end for _id, end in change.close]
    detail = ""
    if change.before.get("changed"):
        changed = change.before["changed"]
        detail = ", ".join(f"{field}: {change.before[field]} → {change.after[field]}" for field in changed)
    elif "manager" in change.after:
        detail = f"{change.before.get('manager') or '—'} → {change.after['manager'] or '—'}"
    return {
        "row": change.row,
        "employee_number": change.employee_number,
        "name": change.name,
        "from": ", ".join(team_names.get(team, str(team)) for team in change.from_teams),
        "team": change.team.label if change.team else "",
        "role": change.role,
        "start": change.start,
        "end": change.end or (max(closes) if closes else None),
        "detail": detail,
        "deactivate": change.activate is False,
    }


class PeopleSyncPreviewView(_PendingSyncMixin, View):
    """The dry run of a stored upload: every bad row, or the difference grouped by kind with counts."""

    def get(self, request, checksum: str):
        entry, result = self.run(checksum, dry_run=True)
        return self.render_preview(checksum, entry, result)


class PeopleSyncConfirmView(_PendingSyncMixin, View):
    """Apply the stored upload; if it became invalid since the preview (a period closed), show it again."""

    def post(self, request, checksum: str):
        entry, result = self.run(checksum, dry_run=False)
        if not result.is_valid:
            return self.render_preview(checksum, entry, result, status=400)
        pending.forget(request.session, checksum)
        options = request.session.get(OPTIONS_KEY, {})
        options.pop(checksum, None)
        request.session[OPTIONS_KEY] = options
        messages.success(request, f"{entry['filename']}: {result.summary()}")
        return HttpResponseRedirect(reverse("culture:person_list"))
