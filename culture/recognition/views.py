"""Recognition pages: give one, the list (sorting, filters, export, counts per team), the CCO's board pick."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors
from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin

from ..models import Recognition
from .filtersets import RecognitionFilterSet
from .forms import RecognitionForm
from .services import recognise, set_board_pick
from .tables import RecognitionTable


def _list_crumb() -> tuple[str, str]:
    return (str(_("Recognition")), reverse("culture:recognition_list"))


class RecognitionListView(FilteredTableView):
    """Stories one may see (their teams', or all for the CCO), with each team's count."""

    permission_required = "culture.view_recognition"
    table_class = RecognitionTable
    filterset_class = RecognitionFilterSet
    template_name = "culture/recognition_list.html"
    title = _("Recognition")
    export_name = "recognition"
    queryset = Recognition.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("person", "team", "kpi", "given_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["list_actions"] = [(_("Recognise a colleague"), reverse("culture:recognition_create"))]
        context["team_counts"] = (
            self.filterset.qs.order_by()
            .values("team__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "team__name")
        )
        return context


class RecognitionCreateView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    """Anyone recognises a colleague: who, which value or KPI, and the story."""

    permission_required = "culture.add_recognition"
    form_class = RecognitionForm
    template_name = "culture/recognition_form.html"
    title = _("Recognise a colleague")
    scoping = "none: a form; its colleague list is scoped by recognition.services.colleagues(user)"

    def get_breadcrumbs(self):
        return [_list_crumb(), (str(self.title), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["giver"] = self.request.user
        if self.request.method == "GET" and self.request.GET.get("person", "").isdigit():
            kwargs["initial"] = {"person": int(self.request.GET["person"])}
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            recognise(
                giver=self.request.user,
                person=data["person"],
                story=data["story"],
                value=data["value"],
                kpi=data["kpi"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you: %(name)s has been recognised.") % {"name": data["person"].name})
        return HttpResponseRedirect(reverse("culture:recognition_list"))


class RecognitionPickView(
    LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, TemplateView
):
    """The CCO picks a story for the board report, or takes the pick back: asked first, then posted."""

    permission_required = "culture.pick_recognition"
    queryset = Recognition.objects.all()
    template_name = "culture/recognition_pick.html"
    title = _("Board report story")

    def refine_queryset(self, queryset):
        return queryset.select_related("person", "team", "kpi")

    def get_breadcrumbs(self):
        return [_list_crumb(), (str(self.title), None)]

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["recognition"] = self.object
        return context

    def post(self, request, *args, **kwargs):
        recognition = self.get_object()
        set_board_pick(actor=request.user, recognition_id=recognition.pk, picked=not recognition.is_board_pick)
        messages.success(request, _("Board report stories updated."))
        return HttpResponseRedirect(reverse("culture:recognition_list"))
