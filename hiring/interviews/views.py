"""Interviews: my interviews, scheduling, the interview kit, the blind scorecard form and the 90-day review."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView

from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin
from hiring.candidates.views import (
    ApplicationPageMixin,
    _may_review,
    export_needs_reauthentication,
)
from users.models import User

from ..models import HireReview, Interview, Position, Scorecard
from .agenda import Status
from .debrief import Statement, debrief_rows, panel_progress
from .filtersets import InterviewFilterSet, MyInterviewFilterSet, by_status
from .forms import CancelInterviewForm, HireReviewForm, InterviewForm, RescheduleForm, ScorecardForm
from .reads import debrief_scorecards, own_draft
from .services import (
    cancel_interview,
    hire_review_due_on,
    record_hire_review,
    reschedule_interview,
    save_scorecard_draft,
    schedule_interview,
    submit_scorecard,
)
from .tables import InterviewTable, MyInterviewTable

INTERVIEWS = _("Interviews")


def interviews_crumb():
    return (str(INTERVIEWS), reverse("hiring:interview_list"))


@export_needs_reauthentication
class InterviewListView(FilteredTableView):
    """Any user's interviews (recruiters and executives see all, leads their teams'), with scorecard status."""

    permission_required = ()
    table_class = InterviewTable
    filterset_class = InterviewFilterSet
    template_name = "hiring/interview_list.html"
    title = INTERVIEWS
    export_name = "interviews"
    queryset = Interview.objects.all()

    def has_permission(self) -> bool:
        return self.request.user.is_authenticated

    def refine_queryset(self, queryset):
        user = cast(User, self.request.user)  # has_permission requires a signed-in user
        mine = Interview.interviewers.through.objects.filter(interview_id=OuterRef("pk"), user_id=user.pk)
        submitted = Scorecard.objects.filter(interview_id=OuterRef("pk"), interviewer_id=user.pk)
        return (
            queryset.select_related("application__candidate", "application__position")
            .prefetch_related("interviewers")
            .annotate(is_mine=Exists(mine), submitted_by_me=Exists(submitted))
            .order_by("-scheduled_at")
        )


@export_needs_reauthentication
class MyInterviewListView(InterviewListView):
    """Every user's own interviews: upcoming, scorecards due and overdue, counted at the top."""

    table_class = MyInterviewTable
    filterset_class = MyInterviewFilterSet
    template_name = "hiring/my_interviews.html"
    title = _("My interviews")
    export_name = "my-interviews"

    def refine_queryset(self, queryset):
        return super().refine_queryset(queryset).filter(is_mine=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mine = self.get_queryset()
        now = timezone.now()
        context["counts"] = [
            (status, label, by_status(mine, status, now).count())
            for status, label in (
                (Status.UPCOMING, _("Upcoming")),
                (Status.DUE, _("Scorecards due")),
                (Status.OVERDUE, _("Scorecards overdue")),
            )
        ]
        return context


class InterviewCreateView(ApplicationPageMixin, LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    permission_required = "hiring.change_application"
    form_class = InterviewForm
    template_name = "hiring/interview_form.html"
    title = _("Schedule an interview")

    def get_initial(self):
        return {"interviewers": list(self.application.position.interviewers.all())}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "application": self.application}

    def form_valid(self, form):
        try:
            schedule_interview(actor=self.request.user, application=self.application, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Interview scheduled; the interviewers see it under Interviews."))
        return HttpResponseRedirect(self.application.get_absolute_url())


class _InterviewMixin(LoginRequiredMixin, BreadcrumbMixin, ScopedObjectMixin):
    queryset = Interview.objects.select_related(
        "application__candidate", "application__position__rubric_version__rubric"
    )

    def get_interview(self) -> Interview:
        self.object = self.get_object()
        return self.object

    def interview_crumbs(self, interview: Interview, last: str):
        kit = reverse("hiring:interview_kit", kwargs={"pk": interview.pk})
        return [interviews_crumb(), (f"{interview.application.candidate.name} · {interview.title}", kit), (last, None)]


class _InterviewChangeMixin(PermissionRequiredMixin, _InterviewMixin):
    """Reschedule and cancel: HR (who may change applications), on an interview in their scope."""

    permission_required = "hiring.change_application"
    title: Any = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.interview = self.get_interview()
            if self.interview.cancelled_at is not None:
                messages.info(request, _("This interview was cancelled; schedule a new one."))
                return HttpResponseRedirect(self.interview.get_absolute_url())
            if self.interview.scorecards.exists():
                messages.info(request, _("Scorecards are in for this interview; it took place."))
                return HttpResponseRedirect(self.interview.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return self.interview_crumbs(self.interview, str(self.title))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "interview": self.interview}


class InterviewRescheduleView(_InterviewChangeMixin, FormView):
    """A new time and a reason; the interviewers get the updated invitation (same UID, higher SEQUENCE)."""

    form_class = RescheduleForm
    template_name = "hiring/interview_reschedule.html"
    title = _("Reschedule the interview")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current": self.interview.scheduled_at}

    def get_initial(self):
        return {"scheduled_at": timezone.localtime(self.interview.scheduled_at)}

    def form_valid(self, form):
        try:
            reschedule_interview(actor=self.request.user, interview=self.interview, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Interview moved; the interviewers get an updated invitation."))
        return HttpResponseRedirect(self.interview.get_absolute_url())


class InterviewCancelView(_InterviewChangeMixin, FormView):
    """The confirmation page of a cancellation: what happens, the reason, then one button."""

    form_class = CancelInterviewForm
    template_name = "hiring/interview_confirm_cancel.html"
    title = _("Cancel the interview")

    def form_valid(self, form):
        try:
            cancel_interview(actor=self.request.user, interview=self.interview, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Interview cancelled; the interviewers are told."))
        return HttpResponseRedirect(self.interview.application.get_absolute_url())


class InterviewKitView(_InterviewMixin, DetailView):
    """What the interviewer needs in the room: the rubric's competencies, anchors and suggested questions."""

    template_name = "hiring/interview_kit.html"
    context_object_name = "interview"

    def get_breadcrumbs(self):
        return [interviews_crumb(), (f"{self.object.application.candidate.name} · {self.object.title}", None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        interview = self.object
        context["title"] = _("Interview kit")
        context["competencies"] = interview.application.position.rubric_version.competencies.all()
        context["interviewers"] = interview.interviewers.order_by("name")
        context["is_assigned"] = interview.interviewers.filter(pk=user.pk).exists()
        context["has_submitted"] = interview.scorecards.filter(interviewer=user).exists()
        context["may_change"] = (
            user.has_perm("hiring.change_application")
            and interview.cancelled_at is None
            and not interview.scorecards.exists()
        )
        context["draft"] = own_draft(user, interview.pk)
        return context


class ScorecardCreateView(_InterviewMixin, FormView):
    """The scorecard form: only the assigned interviewers, once each; nobody else's scores are shown here."""

    form_class = ScorecardForm
    template_name = "hiring/scorecard_form.html"
    title = _("Scorecard")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.interview = self.get_interview()
        if not self.interview.interviewers.filter(pk=request.user.pk).exists():
            raise PermissionDenied(_("Only the assigned interviewers fill in this scorecard."))
        if self.interview.cancelled_at is not None:
            messages.info(request, _("This interview was cancelled; there is no scorecard to submit."))
            return HttpResponseRedirect(self.interview.get_absolute_url())
        if self.interview.scorecards.filter(interviewer=request.user).exists():
            messages.info(request, _("You have already submitted your scorecard for this interview."))
            return HttpResponseRedirect(self.interview.application.get_absolute_url())
        self.competencies = list(self.interview.application.position.rubric_version.competencies.all())
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return self.interview_crumbs(self.interview, str(self.title))

    def get_form_kwargs(self):
        is_draft = self.request.method == "POST" and self.request.POST.get("action") == "draft"
        return {**super().get_form_kwargs(), "competencies": self.competencies, "is_draft": is_draft}

    def get_initial(self):
        draft = own_draft(self.request.user, self.interview.pk)
        return ScorecardForm.initial_from_draft(draft) if draft else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "interview": self.interview,
            "draft": own_draft(self.request.user, self.interview.pk),
        }

    def form_valid(self, form):
        if form.is_draft:
            return self.save_draft(form)
        try:
            submit_scorecard(
                interviewer=self.request.user,
                interview=self.interview,
                recommendation=form.cleaned_data["recommendation"],
                summary=form.cleaned_data["summary"],
                ratings=form.ratings(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Scorecard submitted. You can now see the rest of the panel's scorecards."))
        return HttpResponseRedirect(self.interview.application.get_absolute_url())

    def save_draft(self, form):
        try:
            save_scorecard_draft(
                interviewer=self.request.user,
                interview=self.interview,
                recommendation=form.cleaned_data.get("recommendation") or "",
                summary=form.cleaned_data.get("summary") or "",
                ratings=form.ratings(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Draft saved. Only you see it; submit it when your notes are complete."))
        return HttpResponseRedirect(reverse("hiring:scorecard_create", kwargs={"pk": self.interview.pk}))


class HireReviewCreateView(ApplicationPageMixin, LoginRequiredMixin, BreadcrumbMixin, FormView):
    """The 90-day rating of a hire on the position's rubric, by the team's lead or the hiring manager."""

    form_class = HireReviewForm
    template_name = "hiring/hirereview_form.html"
    title = _("90-day review")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load_application(request, kwargs["pk"])
        if not _may_review(request.user, self.application):
            raise PermissionDenied(_("Only the team's lead or the hiring manager rates a hire."))
        # Offered only while open: before it is due it used to show the form and then refuse to save.
        review = HireReview.objects.filter(application=self.application).first()
        due_on = hire_review_due_on(self.application)
        if review is not None and review.is_recorded:
            messages.info(request, _("This hire has already been reviewed."))
            return HttpResponseRedirect(self.application.get_absolute_url())
        if due_on is None or timezone.localdate() < due_on:
            opens = due_on.isoformat() if due_on else "-"
            messages.info(request, _("The 90-day review opens on %(day)s.") % {"day": opens})
            return HttpResponseRedirect(self.application.get_absolute_url())
        self.competencies = list(self.application.position.rubric_version.competencies.all())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "competencies": self.competencies}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "application": self.application,
            "due_on": hire_review_due_on(self.application),
        }

    def form_valid(self, form):
        try:
            record_hire_review(
                actor=self.request.user,
                application=self.application,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("90-day review recorded."))
        return HttpResponseRedirect(self.application.get_absolute_url())


class DebriefView(ApplicationPageMixin, LoginRequiredMixin, BreadcrumbMixin, TemplateView):
    """The panel side by side once every assigned interviewer has submitted: who said what, where they differ.

    For those who may see the position's hiring (recruiters, executives, the hiring manager, the team's
    lead); before the panel is complete it says how many scorecards it is waiting for.
    """

    title = _("Debrief")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load_application(request, kwargs["pk"])
        if not Position.objects.visible_to(request.user).filter(pk=self.application.position_id).exists():
            raise PermissionDenied(_("The debrief is for the hiring team of this position."))
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return ["hiring/application_debrief.html" if self.rows is not None else "hiring/application_debrief_wait.html"]

    def get(self, request, *args, **kwargs):
        interviews = self.application.interviews.filter(cancelled_at__isnull=True)
        self.progress = panel_progress(
            Interview.interviewers.through.objects.filter(interview__in=interviews).values_list(
                "interview_id", "user_id"
            ),
            Scorecard.objects.filter(interview__in=interviews).values_list("interview_id", "interviewer_id"),
        )
        scorecards = debrief_scorecards(request.user, self.application) if self.progress.is_complete else None
        self.rows = None if scorecards is None else self.build_rows(list(scorecards))
        return super().get(request, *args, **kwargs)

    def build_rows(self, scorecards):
        self.scorecards = scorecards
        competencies = list(self.application.position.rubric_version.competencies.order_by("order", "pk"))
        keys = {c.pk: c.key for c in competencies}
        statements = [
            (keys[r.competency_id], Statement(str(card.interviewer), r.rating, r.evidence))
            for card in scorecards
            for r in card.ratings.all()
            if r.competency_id in keys
        ]
        return debrief_rows(
            [(c.key, c.name) for c in competencies],
            statements,
            disagreement_spread=settings.HIRING_DEBRIEF_DISAGREEMENT_SPREAD,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            application=self.application,
            progress=self.progress,
            rows=self.rows,
            scorecards=getattr(self, "scorecards", []),
            spread_threshold=settings.HIRING_DEBRIEF_DISAGREEMENT_SPREAD,
        )
        return context
