"""Pulse pages: the list, publishing one, a pulse's participation, answering through the personal link, and
the results (read through culture.pulse.results only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView, View
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from core.charts import trend_chart
from core.exports import csv_response, export_values, xlsx_response
from core.forms import add_service_errors
from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin

from ..models import Pulse, PulseInvitation, PulseLibraryVersion, PulseQuestion
from .filtersets import PulseFilterSet, PulseLibraryVersionFilterSet
from .forms import AnswerForm, PulseForm, QuestionFormSet, ResultFilterForm, question_rows
from .results import ResultRow, minimum_group, participation_counts, participation_scope, pulse_results
from .services import (
    invitation_for_link,
    is_open,
    new_library_version,
    publish_library_version,
    publish_pulse,
    save_questions,
    submit_answers,
)
from .tables import PulseLibraryVersionTable, PulseTable, ResultTable

PULSES = _("Pulses")


def _pulses_crumb() -> tuple[str, str]:
    return (str(PULSES), reverse("culture:pulse_list"))


def _with_counts(queryset, user):
    return queryset.annotate(**participation_counts(user))


class PulseListView(FilteredTableView):
    permission_required = "culture.view_pulse"
    table_class = PulseTable
    filterset_class = PulseFilterSet
    title = PULSES
    export_name = "pulses"
    queryset = Pulse.objects.all()

    def refine_queryset(self, queryset):
        return _with_counts(queryset.select_related("library_version"), self.request.user).order_by("-opens_on", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actions = [(_("Results"), reverse("culture:pulse_results"))]
        if self.request.user.has_perm("culture.add_pulse"):
            actions.insert(0, (_("New pulse"), reverse("culture:pulse_create")))
        if self.request.user.has_perm("culture.view_pulselibraryversion"):
            actions.append((_("Question library"), reverse("culture:pulse_library")))
        context["list_actions"] = actions
        return context


class PulseCreateView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    permission_required = "culture.add_pulse"
    scoping = "none: the form for a new pulse (executives only, who see every team)"
    form_class = PulseForm
    template_name = "culture/org_form.html"
    title = _("New pulse")

    def get_breadcrumbs(self):
        return [_pulses_crumb(), (str(self.title), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "submit": _("Publish and invite")}

    def form_valid(self, form):
        try:
            pulse = publish_pulse(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Pulse published; the invitations are on their way."))
        return HttpResponseRedirect(pulse.get_absolute_url())


class PulseDetailView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, DetailView):
    """A pulse's questions and its participation per team (who answered is never shown, only counts)."""

    model = Pulse
    permission_required = "culture.view_pulse"
    template_name = "culture/pulse_detail.html"
    context_object_name = "pulse"

    def refine_queryset(self, queryset):
        return queryset.select_related("library_version")

    def get_breadcrumbs(self):
        return [_pulses_crumb(), (str(self.object), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = str(self.object)
        context["questions"] = self.object.library_version.questions.all()
        invitations = self.object.invitations.filter(participation_scope(self.request.user, prefix=""))
        context["participation"] = (
            invitations.values("team__name")
            .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(has_answered=True)))
            .order_by("team__name")
        )
        return context


class PulseAnswerView(BreadcrumbMixin, FormView):
    """The personal link: no login needed (the signed random token is the key); answers once."""

    scoping = "none: the signed token names the one invitation it answers; no list, no other object"
    form_class = AnswerForm
    template_name = "culture/pulse_answer.html"
    title = _("Pulse")

    def dispatch(self, request, *args, **kwargs):
        invitation = invitation_for_link(kwargs["token"])
        if invitation is None:
            raise Http404("unknown link")
        self.invitation: PulseInvitation = invitation
        self.pulse = invitation.pulse
        if self.invitation.has_answered or not is_open(self.pulse):
            return render(
                request,
                "culture/pulse_answer.html",
                {
                    "title": self.pulse.title,
                    "pulse": self.pulse,
                    "done": self.invitation.has_answered,
                    "breadcrumbs": [(self.pulse.title, None)],
                },
            )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return [(self.pulse.title, None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        questions = list(PulseQuestion.objects.filter(version_id=self.pulse.library_version_id))
        return {**super().get_form_kwargs(), "questions": questions}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": self.pulse.title, "pulse": self.pulse}

    def form_valid(self, form):
        try:
            submit_answers(invitation=self.invitation, scores=form.scores())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you: your answers are stored without your name."))
        # Signed in (the link opened from the home page, or mail read in the same browser): back to the home.
        return HttpResponseRedirect(reverse("home") if self.request.user.is_authenticated else self.request.path)


def _trend(rows: list[ResultRow]) -> dict[str, Any] | None:
    """eNPS and culture index per pulse of one group: the company, else the first group the rows hold."""
    overall = [row for row in rows if not row.question_key]
    if not overall:
        return None
    keys = {row.group_key for row in overall}
    key = "company" if "company" in keys else overall[0].group_key
    mine = sorted((row for row in overall if row.group_key == key), key=lambda row: (row.closes_on, row.pulse_id))
    name = mine[0].group_name
    return {
        "group": name,
        "enps": trend_chart(
            [(row.pulse_title, row.enps) for row in mine], title=_("eNPS: %(group)s") % {"group": name}, width=440
        ),
        "culture_index": trend_chart(
            [(row.pulse_title, row.culture_index) for row in mine],
            title=_("Culture index: %(group)s") % {"group": name},
            width=440,
        ),
    }


class PulseResultsView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, TemplateView):
    """Results rows from `pulse_results` (scoped there: executives all shown groups, a lead their teams'),
    sortable, paged and exported; the filters choose among the rows the rule allows."""

    permission_required = "culture.view_pulseresults"
    scoping = "none: aggregated rows from culture.pulse.results.pulse_results, which applies the user's scope"
    template_name = "culture/pulse_results.html"
    title = _("Pulse results")

    def get_breadcrumbs(self):
        return [_pulses_crumb(), (str(self.title), None)]

    def _rows(self, form: ResultFilterForm) -> list:
        data = form.cleaned_data if form.is_valid() else {}
        pulse, team, department = data.get("pulse"), data.get("team"), data.get("department")
        return pulse_results(
            self.request.user,
            pulse_id=pulse.pk if pulse else None,
            team_id=team.pk if team else None,
            department_id=department.pk if department else None,
            scope=data.get("scope") or None,
            question_key=data.get("question") or "",
        )

    def get(self, request, *args, **kwargs):
        form = ResultFilterForm(request.GET or None, user=request.user)
        rows = self._rows(form)
        table = ResultTable([vars(row) for row in rows])
        export_format = request.GET.get("_export")
        if export_format in (TableExport.CSV, TableExport.XLSX):
            RequestConfig(request, paginate=False).configure(table)
            values = export_values(table)
            if export_format == TableExport.CSV:
                return csv_response(values, filename="pulse-results.csv")
            return xlsx_response(values, filename="pulse-results.xlsx", title=str(self.title))
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        context = self.get_context_data(
            trend=_trend(rows),
            minimum=minimum_group(),
            table=table,
            filter={"form": form},
            row_count=len(table.data),
            export_formats=(TableExport.CSV, TableExport.XLSX),
        )
        return self.render_to_response(context)


# --- the question library ----------------------------------------------------------------------------------

LIBRARY = _("Question library")
LIBRARY_SCOPING = "none: the company-wide question library holds no team's data; its permissions are executives'"


def _library_crumbs() -> list[tuple[str, str | None]]:
    return [_pulses_crumb(), (str(LIBRARY), reverse("culture:pulse_library"))]


class PulseLibraryListView(FilteredTableView):
    """Every version of the question library, newest first: drafts change, published versions are frozen."""

    permission_required = "culture.view_pulselibraryversion"
    scoping = LIBRARY_SCOPING
    table_class = PulseLibraryVersionTable
    filterset_class = PulseLibraryVersionFilterSet
    title = LIBRARY
    export_name = "pulse-library"
    queryset = PulseLibraryVersion.objects.all()

    def get_breadcrumbs(self):
        return [_pulses_crumb(), (str(LIBRARY), None)]

    def refine_queryset(self, queryset):
        return queryset.annotate(question_count=Count("questions")).order_by("-number")


class PulseLibraryDetailView(
    LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, DetailView
):
    """One version's questions; a draft offers editing and publishing, a published version a new draft."""

    model = PulseLibraryVersion
    permission_required = "culture.view_pulselibraryversion"
    scoping = LIBRARY_SCOPING
    template_name = "culture/pulse_library_detail.html"
    context_object_name = "version"

    def get_breadcrumbs(self):
        return [*_library_crumbs(), (str(self.object), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["title"] = str(self.object)
        context["questions"] = list(self.object.questions.all())
        context["pulse_count"] = self.object.pulses.count()
        context["may_change"] = not self.object.is_published and user.has_perm("culture.change_pulselibraryversion")
        context["may_copy"] = self.object.is_published and user.has_perm("culture.add_pulselibraryversion")
        return context


class PulseLibraryCopyView(LoginRequiredMixin, PermissionRequiredMixin, ScopedObjectMixin, View):
    """POST only: a draft copy of this version (the open draft, if one exists), then its editor."""

    model = PulseLibraryVersion
    permission_required = "culture.add_pulselibraryversion"
    scoping = LIBRARY_SCOPING
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        draft = new_library_version(actor=request.user, version=self.get_object())
        messages.success(request, _("Draft version %(number)s is open.") % {"number": draft.number})
        return HttpResponseRedirect(reverse("culture:pulse_library_edit", kwargs={"pk": draft.pk}))


class PulseLibraryPublishView(LoginRequiredMixin, PermissionRequiredMixin, ScopedObjectMixin, View):
    """POST only: freeze the draft so pulses can use it."""

    model = PulseLibraryVersion
    permission_required = "culture.change_pulselibraryversion"
    scoping = LIBRARY_SCOPING
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = self.get_object()
        try:
            publish_library_version(actor=request.user, version=version)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(version)s is published.") % {"version": version})
        return HttpResponseRedirect(version.get_absolute_url())


class PulseLibraryEditView(
    LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, TemplateView
):
    """A draft's questions: change the wording, order, key or kind, add new ones, retire others. A published
    version has no editor (404): it changes through a new draft."""

    model = PulseLibraryVersion
    permission_required = "culture.change_pulselibraryversion"
    scoping = LIBRARY_SCOPING
    template_name = "culture/pulse_library_form.html"

    def refine_queryset(self, queryset):
        return queryset.filter(status=PulseLibraryVersion.Status.DRAFT)

    def get_breadcrumbs(self):
        return [*_library_crumbs(), (str(self.version), self.version.get_absolute_url()), (str(_("Edit")), None)]

    @cached_property
    def version(self) -> PulseLibraryVersion:
        return self.get_object()  # after the login and permission checks of dispatch

    def _formset(self, data=None):
        return QuestionFormSet(data, queryset=self.version.questions.all(), prefix="questions")

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(formset=self._formset()))

    def post(self, request, *args, **kwargs):
        formset = self._formset(request.POST)
        if formset.is_valid():
            rows, retired = question_rows(formset)
            try:
                save_questions(actor=request.user, version=self.version, rows=rows, delete_ids=retired)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, _("Questions saved."))
                return HttpResponseRedirect(self.version.get_absolute_url())
        return self.render_to_response(self.get_context_data(formset=formset))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object = self.version
        return {**super().get_context_data(**kwargs), "title": _("Edit %(version)s") % {"version": self.version}}
