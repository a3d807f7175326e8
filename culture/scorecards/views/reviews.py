"""A lead's period review of their team's scorecard, and the CCO's review status across teams."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin

from ...models import Membership, Person, Review, ReviewAction, Team
from ..actions import carried_actions, complete_action, may_complete
from ..building import build_scorecard_series
from ..filtersets import ReviewStatusFilterSet
from ..forms import ReviewActionForm, ReviewForm
from ..periods import parse_period
from ..scopes import TEAM
from ..services import PeriodClosedError, ensure_period_open, submit_review
from ..tables import ReviewStatusTable
from .scorecards import PeriodMixin, ScorecardTeamsMixin


class ReviewEditView(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    PeriodMixin,
    BreadcrumbMixin,
    ScorecardTeamsMixin,
    ScopedObjectMixin,
    TemplateView,
):
    """The lead's review: a comment, and for each red KPI why, an action, its owner and due date."""

    permission_required = ("culture.add_review", "culture.change_review")
    template_name = "culture/review_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            # Another team's scorecard does not exist for the user (404); a team they see but do not lead,
            # such as a CCO's or an administrator's, is refused (403): only its lead writes the review.
            self.object = self.team = self.get_object()
            if not Team.objects.led_by(request.user).filter(pk=self.team.pk).exists():
                raise PermissionDenied(_("Only a lead of the team writes its review."))
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self) -> str:
        return _("Review of %(team)s, %(period)s") % {"team": self.team.name, "period": self.get_period_code()}

    def get_breadcrumbs(self):
        url = reverse("culture:team_scorecard", args=[self.team.slug]) + f"?period={self.get_period_code()}"
        return [
            (str(_("Scorecards")), reverse("culture:scorecard_home")),
            (self.team.name, url),
            (str(_("Review")), None),
        ]

    def _owners(self):
        return Person.objects.filter(
            pk__in=Membership.objects.current().filter(team=self.team).values("person_id")
        ).order_by("name")

    def _forms(self, data=None):
        code = self.get_period_code()
        card = build_scorecard_series(period_codes=[code], level=TEAM, ids=[self.team.pk])[code][self.team.pk]
        review = Review.objects.filter(team=self.team, period__code=code).prefetch_related("actions__kpi").first()
        existing = {a.kpi.code: a for a in review.actions.all()} if review else {}
        carried = carried_actions(team=self.team, start=parse_period(code).start)
        covered = {a.kpi.code for a in carried}
        owners = self._owners()
        off_track = [
            line
            for line in card.lines.values()
            if line.status in ("red", "amber") and (line.kpi_code not in covered or line.kpi_code in existing)
        ]
        action_forms = []
        for line in sorted(off_track, key=lambda line: line.status != "red"):
            found = existing.get(line.kpi_code)
            initial: dict[str, Any] = {"kpi_code": line.kpi_code}
            if found:
                initial.update(
                    comment=found.comment, action=found.action, owner=found.owner_id, due_date=found.due_date
                )
            action_forms.append(
                ReviewActionForm(
                    data,
                    prefix=f"kpi-{line.kpi_code}",
                    initial=initial,
                    owners=owners,
                    line=line,
                    optional=line.status != "red",
                )
            )
        form = ReviewForm(data, initial={"comment": review.comment if review else ""})
        self.carried = carried
        return review, card, form, action_forms

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.period_context())
        if "form" not in kwargs:
            review, card, form, action_forms = self._forms()
            context.update(review=review, card=card, form=form, action_forms=action_forms)
        context["team"] = self.team
        context["carried"] = self.carried
        return context

    def post(self, request, *args, **kwargs):
        review, card, form, action_forms = self._forms(request.POST)
        valid = form.is_valid() & all([f.is_valid() for f in action_forms])
        try:
            ensure_period_open(self.get_period_code())
        except PeriodClosedError as error:
            form.add_error(None, error)
            valid = False
        if valid:
            try:
                submit_review(
                    actor=request.user,
                    team=self.team,
                    period=self.get_period_code(),
                    comment=form.cleaned_data["comment"],
                    actions=[answer for f in action_forms if (answer := f.action_input()) is not None],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Review saved. You can edit it until the period closes."))
                url = reverse("culture:team_scorecard", args=[self.team.slug])
                return HttpResponseRedirect(f"{url}?period={self.get_period_code()}")
        context = self.get_context_data(form=form)
        context.update(review=review, card=card, form=form, action_forms=action_forms)
        return self.render_to_response(context)


class ReviewStatusView(PeriodMixin, ScorecardTeamsMixin, FilteredTableView):
    """Which teams reviewed the period, which did not, and red KPIs without an action."""

    permission_required = "culture.view_review"
    table_class = ReviewStatusTable
    filterset_class = ReviewStatusFilterSet
    template_name = "culture/review_status.html"
    title = _("Review status")

    @property
    def export_name(self) -> str:  # type: ignore[override]  # the base's plain attribute, computed here
        return f"reviews-{self.get_period_code()}"

    def refine_queryset(self, queryset):
        lead = Membership.objects.current().filter(team=OuterRef("pk"), role=Membership.Role.LEAD)
        return (
            super()
            .refine_queryset(queryset)
            .filter(is_active=True)
            .select_related("department")
            .annotate(lead_name=Subquery(lead.order_by("start").values("person__name")[:1]))
        )

    def get_breadcrumbs(self):
        return [(str(_("Scorecards")), reverse("culture:scorecard_home")), (str(self.title), None)]

    _rows: list[dict[str, Any]]  # the filtered rows, kept for the table's second call

    def get_table_data(self):
        if hasattr(self, "_rows"):
            return self._rows
        teams = list(self.object_list)
        code = self.get_period_code()
        cards = build_scorecard_series(period_codes=[code], level=TEAM, ids=[t.pk for t in teams])[code]
        reviews = {
            r.team_id: r
            for r in Review.objects.filter(team__in=teams, period__code=code).prefetch_related("actions__kpi")
        }
        carried = set(
            ReviewAction.objects.open()
            .filter(review__team__in=teams, review__period__start__lt=parse_period(code).start)
            .values_list("review__team_id", "kpi__code")
        )
        wanted = self.filterset.form.cleaned_data.get("reviewed") if self.filterset.is_bound else ""
        rows = []
        for team in teams:
            review = reviews.get(team.pk)
            if (wanted == "yes" and review is None) or (wanted == "no" and review is not None):
                continue
            covered = {a.kpi.code for a in review.actions.all()} if review else set()
            covered |= {kpi_code for team_id, kpi_code in carried if team_id == team.pk}
            red = [code_ for code_, line in cards[team.pk].lines.items() if line.status == "red"]
            rows.append(
                {
                    "team": team,
                    "department": team.department.name,
                    "lead": team.lead_name,
                    "reviewed": review is not None,
                    "submitted_at": review.submitted_at if review else None,
                    "red": len(red),
                    "red_without_action": [c for c in red if c not in covered],
                    "period": code,
                }
            )
        self._rows = rows
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.period_context())
        rows = self.get_table_data()
        context["reviewed_count"] = sum(1 for r in rows if r["reviewed"])
        context["row_count"] = len(rows)
        context["open_reds"] = sum(len(r["red_without_action"]) for r in rows)
        return context


class ReviewActionDetailView(LoginRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, TemplateView):
    """One tracked action: what, who, by when; its owner, a lead or the CCO marks it done here."""

    queryset = ReviewAction.objects.all()
    template_name = "culture/reviewaction_detail.html"
    context_object_name = "action"

    def refine_queryset(self, queryset):
        return queryset.select_related("review__team", "review__period", "kpi", "owner")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self) -> str:
        return _("Action on %(kpi)s") % {"kpi": self.object.kpi.name}

    def get_breadcrumbs(self):
        review = self.object.review
        url = reverse("culture:team_scorecard", args=[review.team.slug]) + f"?period={review.period.code}"
        return [
            (str(_("Scorecards")), reverse("culture:scorecard_home")),
            (review.team.name, url),
            (str(self.title), None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["action"] = self.object
        context["can_complete"] = may_complete(self.request.user, self.object)
        context["is_overdue"] = self.object.is_open and self.object.due_date < timezone.localdate()
        return context

    def post(self, request, *args, **kwargs):
        complete_action(actor=request.user, action_id=self.object.pk)
        messages.success(request, _("Action marked done."))
        return HttpResponseRedirect(self.object.get_absolute_url())
