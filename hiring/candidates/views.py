"""Candidates (with their personal data, export and erasure) and their applications (detail, decisions)."""

from __future__ import annotations

import json
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, UpdateView

from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin, ScopedQuerysetMixin
from core.viewtypes import ModelFormViewBase
from culture.models import Team
from hiring.interviews.reads import visible_decisions, visible_scorecards_in_full
from hiring.interviews.scores import application_aggregates
from hiring.interviews.services import hire_review_due_on

from ..models import CLOSED_STAGES, Application, Candidate, HireReview, Position
from .filtersets import CandidateFilterSet
from .forms import ApplicationForm, CandidateForm, DecisionForm, EraseForm, HireForm, MergeForm
from .privacy import anonymise_candidate, export_candidate_data
from .services import create_application, decide, find_duplicates, hire, merge_candidates, save_candidate
from .tables import CandidateTable

CANDIDATES = _("Candidates")


def candidates_crumb():
    return (str(CANDIDATES), reverse("hiring:candidate_list"))


def _exporting(request) -> bool:
    return bool(request.GET.get("_export"))


# Exports that carry candidates' personal data (names, emails, phones) need a fresh re-authentication.
export_needs_reauthentication = method_decorator(reauthentication_required(enabled=_exporting), name="dispatch")


def application_crumbs(
    application: Application, current: str | None = None, *, user=None
) -> list[tuple[str, str | None]]:
    """Positions / position / candidate, then the page within the application (if any): the same trail everywhere.

    Only pages the user may open are links: an interviewer who reaches the candidate through their interview
    (no positions list, another team's position) gets "My interviews" first and the position as plain text.
    Without a user nothing on the position side is linked.
    """
    position = application.position
    may_list = user is not None and user.has_perm("hiring.view_position")
    may_open = user is not None and Position.objects.visible_to(user).filter(pk=position.pk).exists()
    if may_list:
        crumbs: list[tuple[str, str | None]] = [(str(_("Positions")), reverse("hiring:position_list"))]
    else:
        crumbs = [(str(_("My interviews")), reverse("hiring:my_interviews"))]
    crumbs.append((position.title, position.get_absolute_url() if may_open else None))
    if current is None:
        return [*crumbs, (application.candidate.name, None)]
    return [*crumbs, (application.candidate.name, application.get_absolute_url()), (current, None)]


class VisibleApplicationMixin(ScopedObjectMixin):
    """Loads `self.application` from the URL through the user's scope: another team's application is a 404."""

    queryset = Application.objects.select_related("candidate", "position")

    def load_application(self, request, pk: int) -> Application:
        self.object = self.application = self.get_object()
        return self.application


class ApplicationPageMixin(VisibleApplicationMixin):
    """A page within one application (decide, hire, schedule, review, debrief). Listed FIRST in the bases so the
    application is loaded through the user's scope (another team's is a 404) before the permission checks run,
    and the breadcrumbs end in the application then the page's title."""

    title: Any  # each page's own

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not hasattr(self, "application"):
            self.load_application(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # the view's, later in the MRO

    def get_breadcrumbs(self):
        return application_crumbs(self.application, str(self.title), user=self.request.user)


@export_needs_reauthentication
class CandidateListView(FilteredTableView):
    permission_required = "hiring.view_candidate"
    table_class = CandidateTable
    filterset_class = CandidateFilterSet
    template_name = "hiring/candidate_list.html"
    title = CANDIDATES
    export_name = "candidates"
    queryset = Candidate.objects.all()

    def refine_queryset(self, queryset):
        return queryset.annotate(application_count=Count("applications", distinct=True)).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("hiring.add_candidate")
        return context


class _CandidateFormMixin(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ModelFormViewBase):
    model = Candidate
    form_class = CandidateForm
    template_name = "hiring/candidate_form.html"

    def form_valid(self, form):
        data = {name: value for name, value in form.cleaned_data.items() if name != "cv"}
        cv = form.cleaned_data.get("cv") or None
        existing = self.object if self.object and self.object.pk else None
        if existing is not None:
            existing = Candidate.objects.get(pk=existing.pk)  # the form mutated self.object in place
        try:
            candidate = save_candidate(
                actor=self.request.user, data=data, candidate=existing, cv=cv if hasattr(cv, "size") else None
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Candidate saved."))
        return HttpResponseRedirect(candidate.get_absolute_url())


class CandidateCreateView(_CandidateFormMixin, CreateView):
    permission_required = "hiring.add_candidate"
    title = _("New candidate")
    scoping = "none: the form for a new candidate, empty"

    def get_breadcrumbs(self):
        return [candidates_crumb(), (str(self.title), None)]


class CandidateUpdateView(_CandidateFormMixin, ScopedQuerysetMixin, UpdateView):
    permission_required = "hiring.change_candidate"

    def get_queryset(self):
        return super().get_queryset().filter(anonymised_at__isnull=True)

    def get_breadcrumbs(self):
        return [candidates_crumb(), (self.object.name, self.object.get_absolute_url()), (str(_("Edit")), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Edit candidate")
        return context


class CandidateDetailView(LoginRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    model = Candidate
    template_name = "hiring/candidate_detail.html"

    def get_breadcrumbs(self):
        # An interviewer outside HR opens the candidate through their interview, not the list (a 403 to them).
        if self.request.user.has_perm("hiring.view_candidate"):
            return [candidates_crumb(), (self.object.name, None)]
        return [(str(_("My interviews")), reverse("hiring:my_interviews")), (self.object.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["title"] = self.object.name
        context["applications"] = (
            Application.objects.visible_to(user)
            .filter(candidate=self.object)
            .select_related("position__team")
            .order_by("-applied_on")
        )
        context["can_change"] = user.has_perm("hiring.change_candidate") and not self.object.is_anonymised
        context["can_add_application"] = user.has_perm("hiring.add_application") and not self.object.is_anonymised
        context["show_personal_data"] = may_see_personal_data(user)
        context["duplicates"] = (
            find_duplicates(email=self.object.email, phone=self.object.phone, exclude=self.object)
            if context["can_change"]
            else []
        )
        return context


class _CandidatePrivacyMixin(LoginRequiredMixin, PermissionRequiredMixin, ScopedObjectMixin):
    permission_required = "hiring.change_candidate"
    queryset = Candidate.objects.all()

    def get_candidate(self) -> Candidate:
        self.object = self.get_object()
        return self.object


@method_decorator(reauthentication_required, name="dispatch")
class CandidateExportView(_CandidatePrivacyMixin, View):
    """'Export my data': everything about the candidate as a JSON download, after re-authentication."""

    def get(self, request, *args, **kwargs):
        candidate = self.get_candidate()
        data = export_candidate_data(actor=request.user, candidate=candidate)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="candidate-{candidate.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response


def may_see_personal_data(user) -> bool:
    """HR and executives see a candidate's contact details, notes and CV; interviewers and leads the name
    and the interview material only (DESIGN, roles)."""
    return bool(user.has_perm("hiring.change_candidate") or getattr(user, "is_executive", False))


# Erasing is as sensitive as exporting: the same fresh re-authentication, after the scope and permission
# checks (a lead gets their 403 at once, not a password prompt first).
@method_decorator(reauthentication_required, name="get")
@method_decorator(reauthentication_required, name="post")
class CandidateEraseView(_CandidatePrivacyMixin, BreadcrumbMixin, FormView):
    """'Erase now': a confirmation page, then anonymisation of the candidate's personal data."""

    form_class = EraseForm
    template_name = "hiring/candidate_confirm_erase.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.candidate = self.get_candidate()
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self):
        return _("Erase candidate data")

    def get_breadcrumbs(self):
        return [candidates_crumb(), (self.candidate.name, self.candidate.get_absolute_url()), (str(_("Erase")), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["candidate"] = self.candidate
        return context

    def form_valid(self, form):
        anonymise_candidate(actor=self.request.user, candidate=self.candidate)
        messages.success(self.request, _("The candidate's personal data was erased; anonymous scores remain."))
        return HttpResponseRedirect(self.candidate.get_absolute_url())


class ApplicationCreateView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    permission_required = "hiring.add_application"
    scoping = "none: the form for a new application; its candidate and position choices are the user's visible ones"
    form_class = ApplicationForm
    template_name = "hiring/application_form.html"
    title = _("New application")

    def get_breadcrumbs(self):
        return [candidates_crumb(), (str(self.title), None)]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {
            "applied_on": timezone.localdate(),
            "candidate": self.request.GET.get("candidate"),
            "position": self.request.GET.get("position"),
        }

    def form_valid(self, form):
        try:
            application = create_application(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Application created."))
        return HttpResponseRedirect(application.get_absolute_url())


class ApplicationDetailView(LoginRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    """An application: stage, decisions, interviews, the scorecards this user may see and their aggregate."""

    model = Application
    template_name = "hiring/application_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("candidate", "person", "position__team", "position__rubric_version__rubric")
        )

    def get_breadcrumbs(self):
        return application_crumbs(self.object, user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        application = self.object
        interviews = list(
            application.interviews.prefetch_related("interviewers", "scorecards").order_by("scheduled_at")
        )
        scorecards = list(visible_scorecards_in_full(user, [application.pk]))
        due_on = hire_review_due_on(application)
        pending = [
            i
            for i in interviews
            if i.cancelled_at is None
            and user in i.interviewers.all()
            and not any(s.interviewer_id == user.pk for s in i.scorecards.all())
        ]
        context.update(
            title=f"{application.candidate.name} · {application.position.title}",
            show_personal_data=may_see_personal_data(user),
            interviews=interviews,
            scorecards=scorecards,
            pending_interviews=pending,
            hidden_count=sum(len(i.scorecards.all()) for i in interviews) - len(scorecards),
            aggregate=application_aggregates(user, [application])[application.pk],
            competencies=list(application.position.rubric_version.competencies.all()),
            # Decision reasons can echo the panel's view, so a blind interviewer does not see them either.
            can_see_decisions=not pending
            and Position.objects.visible_to(user).filter(pk=application.position_id).exists(),
            decisions=visible_decisions(user, [application.pk]),
            can_decide=user.has_perm("hiring.add_decision") and application.stage not in CLOSED_STAGES,
            can_schedule=user.has_perm("hiring.change_application") and application.stage not in CLOSED_STAGES,
            decision_form=DecisionForm(application=application),
            hire_review=HireReview.objects.filter(application=application)
            .select_related("reviewed_by")
            .prefetch_related("ratings__competency")
            .first(),
            review_due_on=due_on,
            review_is_open=due_on is not None and timezone.localdate() >= due_on,
            can_review=_may_review(user, application),
        )
        return context


def _may_review(user, application: Application) -> bool:
    """The lead of the position's team or its hiring manager rates a hire after 90 days."""
    if application.stage != Application.Stage.HIRED:
        return False
    return (
        application.position.hiring_manager_id == user.pk
        or Team.objects.led_by(user).filter(pk=application.position.team_id).exists()
    )


class ApplicationDecideView(
    ApplicationPageMixin, LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView
):
    """Move an application to another stage with a reason; rejecting or withdrawing asks for confirmation."""

    permission_required = "hiring.add_decision"
    form_class = DecisionForm
    template_name = "hiring/application_decide.html"
    title = _("Record a decision")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "application": self.application}

    def get_initial(self):
        return {"to_stage": self.request.GET.get("to_stage")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["application"] = self.application
        return context

    def form_valid(self, form):
        to_stage = form.cleaned_data["to_stage"]
        if to_stage in CLOSED_STAGES and not form.cleaned_data["confirmed"]:
            data = {**form.cleaned_data, "confirmed": True}
            confirm = DecisionForm(data=data, application=self.application)
            return self.render_to_response(
                self.get_context_data(form=confirm, confirming=True, to_stage_label=Application.Stage(to_stage).label)
            )
        try:
            decide(
                actor=self.request.user,
                application=self.application,
                to_stage=to_stage,
                reason=form.cleaned_data["reason"],
                exception_reason=form.cleaned_data["exception_reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Decision recorded."))
        return HttpResponseRedirect(self.application.get_absolute_url())


class ApplicationHireView(ApplicationPageMixin, LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    """Hire in one action: the decision, the employee in the position's team, the 90-day review scheduled."""

    permission_required = "hiring.add_decision"
    form_class = HireForm
    template_name = "hiring/application_hire.html"
    title = _("Hire")

    def get_initial(self):
        return {"starts_on": timezone.localdate(), "email": self.application.candidate.email}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        aggregate = application_aggregates(self.request.user, [self.application])[self.application.pk]
        return {**super().get_context_data(**kwargs), "application": self.application, "aggregate": aggregate}

    def form_valid(self, form):
        try:
            hire(actor=self.request.user, application=self.application, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Hired: now a member of the team; the 90-day review is scheduled."))
        return HttpResponseRedirect(self.application.get_absolute_url())


def _add_errors(form, error: ValidationError) -> None:
    """Errors keyed by a form field go next to it; others at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class CandidateMergeView(_CandidatePrivacyMixin, BreadcrumbMixin, FormView):
    """Fold a duplicate record (same email or phone) into this candidate; audited."""

    form_class = MergeForm
    template_name = "hiring/candidate_merge.html"
    title = _("Merge a duplicate")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.candidate = self.get_candidate()
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return [candidates_crumb(), (self.candidate.name, self.candidate.get_absolute_url()), (str(self.title), None)]

    def get_form_kwargs(self):
        duplicates = find_duplicates(email=self.candidate.email, phone=self.candidate.phone, exclude=self.candidate)
        return {**super().get_form_kwargs(), "duplicates": duplicates}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "candidate": self.candidate}

    def form_valid(self, form):
        try:
            merge_candidates(actor=self.request.user, keep=self.candidate, duplicate=form.cleaned_data["duplicate"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The duplicate record was merged into this candidate."))
        return HttpResponseRedirect(self.candidate.get_absolute_url())
