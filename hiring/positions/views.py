"""Positions: list, create, edit, the pipeline page and the comparison table of candidates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView

from core.views import BreadcrumbMixin, FilteredTableView, ScopedQuerysetMixin
from core.viewtypes import ModelFormViewBase
from hiring.candidates.views import export_needs_reauthentication
from hiring.interviews.scores import application_aggregates

from ..models import CLOSED_STAGES, Application, Position
from .filtersets import ComparisonFilterSet, PositionFilterSet
from .forms import PositionForm
from .services import save_position
from .tables import ComparisonTable, PositionTable, competency_column

POSITIONS = _("Positions")


def positions_crumb():
    return (str(POSITIONS), reverse("hiring:position_list"))


class PositionListView(FilteredTableView):
    permission_required = "hiring.view_position"
    table_class = PositionTable
    filterset_class = PositionFilterSet
    template_name = "hiring/position_list.html"
    title = POSITIONS
    export_name = "positions"
    queryset = Position.objects.all()

    def refine_queryset(self, queryset):
        return (
            queryset.select_related("team", "rubric_version__rubric", "hiring_manager")
            .annotate(
                application_count=Count("applications"),
                open_count=Count("applications", filter=~Q(applications__stage__in=CLOSED_STAGES)),
            )
            .order_by("-opened_on", "title")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("hiring.add_position")
        return context


class _PositionFormMixin(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ModelFormViewBase):
    model = Position
    form_class = PositionForm
    template_name = "hiring/position_form.html"

    def form_valid(self, form):
        data = {name: value for name, value in form.cleaned_data.items() if name != "interviewers"}
        try:
            position = save_position(
                actor=self.request.user,
                data=data,
                interviewers=form.cleaned_data["interviewers"],
                position=self.object if self.object and self.object.pk else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Position saved."))
        return HttpResponseRedirect(position.get_absolute_url())


class PositionCreateView(_PositionFormMixin, CreateView):
    permission_required = "hiring.add_position"
    title = _("New position")
    scoping = "none: the form for a new position, empty"

    def get_initial(self):
        return {"opened_on": timezone.localdate(), "bar_score": 60}

    def get_breadcrumbs(self):
        return [positions_crumb(), (str(self.title), None)]


class PositionUpdateView(_PositionFormMixin, ScopedQuerysetMixin, UpdateView):
    permission_required = "hiring.change_position"

    def get_breadcrumbs(self):
        return [positions_crumb(), (self.object.title, self.object.get_absolute_url()), (str(_("Edit")), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Edit %(title)s") % {"title": self.object.title}
        return context


class PositionDetailView(LoginRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    """The pipeline: one column per stage, each application with its score as this user may see it."""

    model = Position
    template_name = "hiring/position_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("team", "rubric_version__rubric", "hiring_manager")

    def get_breadcrumbs(self):
        return [positions_crumb(), (self.object.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        applications = list(
            Application.objects.visible_to(user)
            .filter(position=self.object)
            .select_related("candidate", "position")
            .order_by("-applied_on", "pk")
        )
        aggregates = application_aggregates(user, applications)
        columns: dict[str, list[tuple[Application, Any]]] = {stage: [] for stage in Application.Stage.values}
        for application in applications:
            columns[application.stage].append((application, aggregates[application.pk]))
        context["title"] = self.object.title
        context["columns"] = [(stage, label, columns[stage]) for stage, label in Application.Stage.choices]
        context["panel"] = self.object.interviewers.order_by("name")
        context["can_change"] = user.has_perm("hiring.change_position")
        context["can_add_application"] = user.has_perm("hiring.add_application")
        return context


@export_needs_reauthentication
class PositionComparisonView(FilteredTableView):
    """Every application of one position side by side: score, bar, per-competency means, disagreement."""

    permission_required = ()
    table_class = ComparisonTable
    filterset_class = ComparisonFilterSet
    template_name = "hiring/position_comparison.html"

    def has_permission(self) -> bool:
        return self.request.user.is_authenticated

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            positions = Position.objects.visible_to(request.user).select_related("team", "rubric_version")
            position = positions.filter(pk=kwargs["pk"]).first()
            if position is None:
                raise Http404("No such position.")
            self.position = position
            self.competencies = list(self.position.rubric_version.competencies.order_by("order", "pk"))
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self):  # type: ignore[override]  # the base's plain attribute, computed here
        return _("Compare candidates: %(title)s") % {"title": self.position.title}

    @property
    def export_name(self):  # type: ignore[override]  # the base's plain attribute, computed here
        return f"position-{self.position.pk}-comparison"

    def get_breadcrumbs(self):
        return [positions_crumb(), (self.position.title, self.position.get_absolute_url()), (str(_("Compare")), None)]

    queryset = Application.objects.all()

    def refine_queryset(self, queryset):
        return queryset.filter(position=self.position).select_related("candidate", "position").order_by("pk")

    def get_table_kwargs(self):
        return {"extra_columns": [(f"c_{c.key}", competency_column(c.name)) for c in self.competencies]}

    def get_table_data(self):
        applications = list(self.object_list)
        aggregates = application_aggregates(self.request.user, applications)
        recommendations = _recommendation_counts(self.request.user, applications)
        names = {c.key: c.name for c in self.competencies}
        form = self.filterset.form
        wanted_bar = form.cleaned_data.get("meets_bar") if form.is_valid() else None
        wanted_flag = form.cleaned_data.get("disagreement") if form.is_valid() else None
        rows = []
        for application in applications:
            aggregate = aggregates[application.pk]
            flagged = [names[s.key] for s in aggregate.competencies if s.has_disagreement]
            if wanted_bar is not None and aggregate.meets_bar is not wanted_bar:
                continue
            if wanted_flag is not None and bool(flagged) is not wanted_flag:
                continue
            row = {
                "url": application.get_absolute_url(),
                "candidate": application.candidate.name,
                "stage": application.get_stage_display(),
                "scorecards": aggregate.scorecard_count,
                "score": aggregate.score,
                "meets_bar": aggregate.meets_bar,
                "disagreement": flagged,
                "recommendations": recommendations.get(application.pk, ""),
            }
            for summary in aggregate.competencies:
                row[f"c_{summary.key}"] = summary.mean
            rows.append(row)
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["position"] = self.position
        return context


def _recommendation_counts(user, applications) -> dict[int, str]:
    """'2 yes, 1 no' per application, from the scorecards this user may see, in one query."""
    from ..models import Scorecard

    counts: dict[int, dict[str, int]] = {}
    rows = (
        Scorecard.objects.visible_to(user)
        .filter(interview__application__in=[a.pk for a in applications])
        .values("interview__application_id", "recommendation")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.setdefault(row["interview__application_id"], {})[row["recommendation"]] = row["n"]
    labels = dict(Scorecard.Recommendation.choices)
    return {
        pk: ", ".join(
            f"{by[value]} {labels[value].lower()}" for value in Scorecard.Recommendation.values[::-1] if value in by
        )
        for pk, by in counts.items()
    }
