"""Questions about statements: raise one from a statement, list them, answer (compensation admin), resolve."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView

from core.forms import error_text
from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin, ScopedQuerysetMixin

from .. import services
from ..filtersets import StatementDisputeFilterSet
from ..forms import DisputeAnswerForm, DisputeForm
from ..models import PayoutLine, StatementDispute
from ..tables import StatementDisputeTable

LIST = _("Questions about statements")


class DisputeListView(FilteredTableView):
    permission_required = "incentives.view_statementdispute"
    table_class = StatementDisputeTable
    filterset_class = StatementDisputeFilterSet
    title = LIST
    export_name = "statement-questions"
    queryset = StatementDispute.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("line__person", "line__run__plan__period")


class DisputeCreateView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, FormView):
    """ "Question this statement" on a statement the user may read."""

    permission_required = "incentives.add_statementdispute"
    queryset = PayoutLine.objects.select_related("run__plan", "person")
    form_class = DisputeForm
    template_name = "incentives/form.html"
    title = _("Question this statement")

    @cached_property
    def line(self) -> PayoutLine:
        return self.get_object()

    def get_breadcrumbs(self):
        return [
            (str(_("Incentive statements")), reverse("incentives:statement_list")),
            (str(self.line.person), self.line.get_absolute_url()),
            (str(self.title), None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object = self.line
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            dispute = services.raise_dispute(
                line=self.line, question=form.cleaned_data["question"], actor=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your question was sent to the compensation admin."))
        return HttpResponseRedirect(dispute.get_absolute_url())


class DisputeDetailView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    model = StatementDispute
    permission_required = "incentives.view_statementdispute"
    template_name = "incentives/dispute_detail.html"
    context_object_name = "dispute"

    def get_queryset(self):
        return super().get_queryset().select_related("line__person", "line__run__plan", "raised_by", "answered_by")

    def get_breadcrumbs(self):
        return [(str(LIST), reverse("incentives:dispute_list")), (f"#{self.object.pk}", None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, dispute = self.request.user, self.object
        is_admin = user.has_perm("incentives.change_statementdispute")
        context["title"] = _("Question #%(id)s") % {"id": dispute.pk}
        context["can_answer"] = is_admin and dispute.status == StatementDispute.Status.OPEN
        context["can_resolve"] = dispute.status == StatementDispute.Status.ANSWERED and (
            is_admin or dispute.raised_by_id == user.pk
        )
        context["answer_form"] = DisputeAnswerForm()
        return context


class DisputeAnswerView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, FormView):
    permission_required = "incentives.change_statementdispute"
    queryset = StatementDispute.objects.select_related("line__person")
    form_class = DisputeAnswerForm
    template_name = "incentives/form.html"
    title = _("Answer the question")

    @cached_property
    def dispute(self) -> StatementDispute:
        return self.get_object()

    def get_breadcrumbs(self):
        return [
            (str(LIST), reverse("incentives:dispute_list")),
            (f"#{self.dispute.pk}", self.dispute.get_absolute_url()),
            (str(self.title), None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object = self.dispute
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            services.answer_dispute(
                dispute_id=self.dispute.pk, answer=form.cleaned_data["answer"], actor=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Answer sent."))
        return HttpResponseRedirect(self.dispute.get_absolute_url())


class DisputeResolveView(LoginRequiredMixin, PermissionRequiredMixin, ScopedObjectMixin, View):
    """POST only: whoever raised an answered question (or a compensation admin) closes it."""

    permission_required = "incentives.view_statementdispute"
    queryset = StatementDispute.objects.all()

    def post(self, request, pk):
        dispute = self.get_object()
        try:
            services.resolve_dispute(dispute_id=dispute.pk, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Question resolved."))
        return HttpResponseRedirect(dispute.get_absolute_url())
