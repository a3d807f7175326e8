"""Forms validate (curves via the model's clean), views delegate to services."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from culture.models import Kpi, Membership, Person

from .models import Adjustment, Component, Plan

HUNDRED = Decimal(100)
# A survey KPI's values by survey and unit: NPS -100..100, CSAT % of 4-5 answers 0..100 (or a 1-5 mean), CES 1-7.
SURVEY_RANGES: dict[tuple[str, str], tuple[Decimal, Decimal]] = {
    ("nps", Kpi.Unit.SCORE): (-HUNDRED, HUNDRED),
    ("nps", Kpi.Unit.PERCENT): (-HUNDRED, HUNDRED),
    ("csat", Kpi.Unit.PERCENT): (Decimal(0), HUNDRED),
    ("csat", Kpi.Unit.SCORE): (Decimal(1), Decimal(5)),
    ("ces", Kpi.Unit.SCORE): (Decimal(1), Decimal(7)),
    ("ces", Kpi.Unit.PERCENT): (Decimal(0), HUNDRED),
}
NON_NEGATIVE_UNITS = {Kpi.Unit.SECONDS, Kpi.Unit.CURRENCY, Kpi.Unit.COUNT}


def kpi_value_range(kpi: Kpi | None) -> tuple[Decimal | None, Decimal | None]:
    """The values a KPI can take (None: unbounded on that side); the composite score runs 0-100."""
    if kpi is None:
        return Decimal(0), HUNDRED
    if kpi.survey and (kpi.survey, kpi.unit) in SURVEY_RANGES:
        return SURVEY_RANGES[(kpi.survey, kpi.unit)]
    if kpi.unit == Kpi.Unit.PERCENT:
        return Decimal(0), HUNDRED
    if kpi.unit in NON_NEGATIVE_UNITS:
        return Decimal(0), None
    return None, None


def range_error(kpi: Kpi | None, value: Decimal | None) -> str:
    """Why a value cannot be one of the KPI's values (empty when it can)."""
    low, high = kpi_value_range(kpi)
    if value is None or ((low is None or value >= low) and (high is None or value <= high)):
        return ""
    name = kpi.name if kpi is not None else _("The composite score")
    if high is None:
        return _("%(kpi)s cannot be below %(low)s.") % {"kpi": name, "low": low}
    return _("%(kpi)s runs from %(low)s to %(high)s; %(value)s is outside that scale.") % {
        "kpi": name,
        "low": low,
        "high": high,
        "value": value,
    }


class PlanForm(forms.ModelForm):
    eligible_roles = forms.MultipleChoiceField(
        label=_("Eligible roles"),
        choices=Membership.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every role."),
    )

    class Meta:
        model = Plan
        fields = [
            "name",
            "period",
            "reward_type",
            "currency",
            "target_amount",
            "eligible_teams",
            "eligible_departments",
            "eligible_roles",
            "status",
        ]
        widgets = {"eligible_teams": forms.SelectMultiple(attrs={"size": 8})}


class ComponentForm(forms.ModelForm):
    class Meta:
        model = Component
        fields = [
            "kpi",
            "level",
            "weight",
            "threshold",
            "target",
            "stretch",
            "threshold_payout_pct",
            "stretch_payout_pct",
            "cap_pct",
            "is_gate",
            "min_sample",
            "min_response_rate_pct",
            "position",
        ]

    def clean(self):
        cleaned = super().clean() or {}
        kpi = cleaned.get("kpi")
        for name in ("threshold", "target", "stretch"):
            message = range_error(kpi, cleaned.get(name))
            if message:
                self.add_error(name, message)
        return cleaned


class AdjustmentForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    amount = forms.DecimalField(
        label=_("Amount (signed)"),
        max_digits=14,
        decimal_places=3,
        help_text=_("Counts once approved by someone else; above the limits, by two people."),
    )
    reason_code = forms.ChoiceField(label=_("Reason code"), choices=Adjustment.ReasonCode.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, run, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(pk__in=run.lines.values("person_id"))
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people


class RunReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What should the preparer look at?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the preparer and kept in the audit trail."),
    )


class WhatIfForm(forms.Form):
    """One hypothetical actual per component, pre-filled with the measured value."""

    def __init__(self, *args, components, initial_actuals: dict[str, Decimal | None], **kwargs):
        super().__init__(*args, **kwargs)
        for component in components:
            low, high = kpi_value_range(component.kpi)
            self.fields[f"c{component.pk}"] = forms.DecimalField(
                min_value=low,
                max_value=high,
                label=f"{component.label} ({component.get_level_display().lower()})",
                required=False,
                max_digits=14,
                decimal_places=4,
                initial=initial_actuals.get(component.key),
                help_text=_("Leave empty to keep the measured value."),
            )

    def overrides(self) -> dict[str, Decimal]:
        return {name[1:]: value for name, value in self.cleaned_data.items() if value is not None}


class DisputeForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Which figure looks wrong or unclear, and why. The compensation admin answers here."),
    )


class DisputeAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class OverrideForm(forms.Form):
    employee_number = forms.CharField(label=_("Employee number"), max_length=30)
    target_amount = forms.DecimalField(
        label=_("Target amount"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        help_text=_("Empty: remove the override, the plan's amount applies."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def clean_employee_number(self):
        number = self.cleaned_data["employee_number"].strip()
        self.person = Person.objects.filter(employee_number=number).first()
        if self.person is None:
            raise forms.ValidationError(_("No person has this employee number."))
        return number
