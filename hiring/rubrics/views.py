"""Rubric versions: list, create, show, edit a draft, publish, copy into a new version, validity report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin

from core.forms import error_text
from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin, ScopedQuerysetMixin
from hiring.insights.calculations import INDICATIVE_SAMPLE, MIN_VALIDITY_SAMPLE
from hiring.insights.quality import competency_quality
from hiring.insights.validity import rubric_validity

from ..models import Competency, Decision, RubricVersion
from .filtersets import RubricVersionFilterSet
from .forms import CompetencyFormSet, RubricForm
from .services import (
    create_rubric,
    install_standard_rubric,
    new_rubric_version,
    publish_rubric_version,
    save_competencies,
)
from .tables import RubricVersionTable

RUBRICS = _("Rubrics")


def _rubrics_crumb():
    return (str(RUBRICS), reverse("hiring:rubric_list"))


class RubricListView(FilteredTableView):
    permission_required = "hiring.view_rubric"
    table_class = RubricVersionTable
    filterset_class = RubricVersionFilterSet
    template_name = "hiring/rubricversion_list.html"
    title = RUBRICS
    export_name = "rubric-versions"
    queryset = RubricVersion.objects.all()

    def refine_queryset(self, queryset):
        return (
            queryset.select_related("rubric")
            .annotate(
                competency_count=Count("competencies", distinct=True), position_count=Count("positions", distinct=True)
            )
            .order_by("rubric__name", "-number")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.request.user.has_perm("hiring.change_rubric")
        return context


class RubricCreateView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    permission_required = "hiring.add_rubric"
    scoping = "none: the form for a new rubric, empty"
    form_class = RubricForm
    template_name = "hiring/rubric_form.html"
    title = _("New rubric")

    def get_breadcrumbs(self):
        return [_rubrics_crumb(), (str(self.title), None)]

    def form_valid(self, form):
        rubric = create_rubric(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Rubric created as a draft. Add its competencies, then publish it."))
        return HttpResponseRedirect(reverse("hiring:rubric_edit", kwargs={"pk": rubric.versions.get().pk}))


class StandardRubricInstallView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST: publish the shipped service-orientation rubric (once)."""

    permission_required = "hiring.add_rubric"
    scoping = "none: publishes the shipped standard rubric (once); reads no existing object"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = install_standard_rubric(actor=request.user)
        messages.success(request, _("The service-orientation rubric is published."))
        return HttpResponseRedirect(version.get_absolute_url())


class RubricVersionDetailView(
    LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView
):
    model = RubricVersion
    permission_required = "hiring.view_rubric"
    template_name = "hiring/rubricversion_detail.html"
    context_object_name = "version"

    def get_queryset(self):
        return super().get_queryset().select_related("rubric")

    def get_breadcrumbs(self):
        return [_rubrics_crumb(), (str(self.object), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = str(self.object)
        context["competencies"] = self.object.competencies.all()
        context["other_versions"] = self.object.rubric.versions.exclude(pk=self.object.pk).order_by("-number")
        context["can_change"] = self.request.user.has_perm("hiring.change_rubric")
        return context


class RubricVersionEditView(
    LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, SingleObjectMixin, FormView
):
    """Edit the competencies of a draft; published versions are immutable (404 here, copy them instead)."""

    model = RubricVersion
    permission_required = "hiring.change_rubric"
    template_name = "hiring/rubricversion_form.html"
    context_object_name = "version"

    def get_object(self, queryset=None):
        version = super().get_object(queryset)
        if version.is_published:
            raise Http404("published versions are immutable")
        return version

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return [_rubrics_crumb(), (str(self.object), self.object.get_absolute_url()), (str(_("Edit")), None)]

    def get_form(self, form_class=None):
        return CompetencyFormSet(
            data=self.request.POST if self.request.method == "POST" else None,
            queryset=Competency.objects.filter(version=self.object),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["formset"] = context.pop("form")
        context["title"] = _("Edit %(version)s") % {"version": self.object}
        return context

    def form_valid(self, formset):
        rows, delete_ids = [], []
        for form in formset.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if form.cleaned_data.get("DELETE"):
                if form.instance.pk:
                    delete_ids.append(form.instance.pk)
                continue
            rows.append(
                {"id": form.instance.pk, **{k: v for k, v in form.cleaned_data.items() if k not in ("id", "DELETE")}}
            )
        try:
            save_competencies(actor=self.request.user, version=self.object, rows=rows, delete_ids=delete_ids)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
            return self.form_invalid(formset)
        messages.success(self.request, _("Competencies saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class _VersionActionView(LoginRequiredMixin, PermissionRequiredMixin, ScopedObjectMixin, View):
    permission_required = "hiring.change_rubric"
    http_method_names = ["post"]
    queryset = RubricVersion.objects.all()

    def get_version(self) -> RubricVersion:
        return self.get_object()


class RubricVersionPublishView(_VersionActionView):
    def post(self, request, *args, **kwargs):
        version = self.get_version()
        try:
            publish_rubric_version(actor=request.user, version=version)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("%(version)s is published and can no longer change.") % {"version": version})
        return HttpResponseRedirect(version.get_absolute_url())


class RubricVersionCopyView(_VersionActionView):
    def post(self, request, *args, **kwargs):
        draft = new_rubric_version(actor=request.user, version=self.get_version())
        messages.success(request, _("Draft %(version)s is ready to edit.") % {"version": draft})
        return HttpResponseRedirect(reverse("hiring:rubric_edit", kwargs={"pk": draft.pk}))


class RubricValidityView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    """How well each competency's interview score predicted the 90-day rating of the hires."""

    model = RubricVersion
    permission_required = "hiring.view_rubric"
    template_name = "hiring/rubricversion_validity.html"
    context_object_name = "version"

    def get_breadcrumbs(self):
        return [_rubrics_crumb(), (str(self.object), self.object.get_absolute_url()), (str(_("Validity")), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Validity of %(version)s") % {"version": self.object}
        context["rows"], context["overall"] = rubric_validity(self.object, viewer=self.request.user)
        context["below_bar_hires"] = list(
            Decision.objects.visible_to(self.request.user)
            .filter(application__position__rubric_version=self.object, to_stage="hired", below_bar=True)
            .select_related("application__candidate")
        )
        context["min_sample"], context["indicative_sample"] = MIN_VALIDITY_SAMPLE, INDICATIVE_SAMPLE
        context["quality"] = competency_quality(self.object, viewer=self.request.user)
        return context
