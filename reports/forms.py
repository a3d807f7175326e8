from django import forms
from django.utils.translation import gettext_lazy as _

from culture.scorecards import parse_period

from .models import ValueModel


class ValueModelForm(forms.ModelForm):
    period_code = forms.CharField(label=_("Period"), help_text=_("2026-09, 2026-Q3 or 2026"), max_length=7)

    class Meta:
        model = ValueModel
        fields = [
            "currency",
            "customers",
            "revenue_per_customer",
            "cost_per_assisted_contact",
            "cost_per_self_service_contact",
        ]

    def clean_period_code(self) -> str:
        try:
            return parse_period(self.cleaned_data["period_code"]).code
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use a three-letter ISO currency code such as EUR."))
        return currency

    def clean(self):
        cleaned = super().clean()
        assisted, self_service = cleaned.get("cost_per_assisted_contact"), cleaned.get("cost_per_self_service_contact")
        if assisted is not None and self_service is not None and self_service > assisted:
            self.add_error(
                "cost_per_self_service_contact",
                _("Self-service usually costs less than an assisted contact; check the figures."),
            )
        return cleaned
