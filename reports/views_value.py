"""The CCO's value model per period: list and edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView

from core.views import BreadcrumbMixin

from .forms import ValueModelForm
from .models import ValueModel
from .services import save_value_model


class ValueModelListView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ListView):
    permission_required = "reports.view_valuemodel"
    template_name = "reports/valuemodel_list.html"
    title = gettext_lazy("Value model")
    queryset = ValueModel.objects.select_related("period", "updated_by")
    paginate_by = 50


class ValueModelEditView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    permission_required = "reports.change_valuemodel"
    template_name = "reports/valuemodel_form.html"
    form_class = ValueModelForm
    title = gettext_lazy("Edit value model")

    def get_breadcrumbs(self):
        return [(str(_("Value model")), reverse("reports:valuemodel_list")), (str(self.title), None)]

    def get_initial(self):
        code = self.request.GET.get("period", "")
        existing = ValueModel.objects.filter(period__code=code).first()
        if existing is None:
            return {"period_code": code, "currency": "EUR"}
        initial = {name: getattr(existing, name) for name in ValueModelForm.Meta.fields}
        return {**initial, "period_code": code}

    def form_valid(self, form):
        try:
            save_value_model(
                period_code=form.cleaned_data["period_code"],
                values=form.cleaned_data,
                actor=self.request.user,
            )
        except (ValueError, ValidationError) as error:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, _("Value model for %(period)s saved.") % {"period": form.cleaned_data["period_code"]}
        )
        return redirect("reports:valuemodel_list")
