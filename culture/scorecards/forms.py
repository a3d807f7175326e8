"""Forms for targets (one and in bulk per scope) and for a lead's period review. They validate; services write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Department, Kpi, Person, Target, Team
from .calculations import KpiLine
from .periods import parse_period
from .services import ActionInput, TargetValues
from .status import thresholds_problem

SCOPES = [("company", _("Company")), ("department", _("Department")), ("team", _("Team"))]


def _period_code_field(**kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=_("Period"), max_length=7, help_text=_("2026-09 (month), 2026-Q3 (quarter) or 2026 (year)"), **kwargs
    )


def _clean_period_code(value: str) -> str:
    try:
        return parse_period(value).code
    except ValueError as error:
        raise ValidationError(str(error)) from error


class TargetForm(forms.Form):
    """One target: KPI, period, exactly one scope, thresholds ordered by the KPI's direction."""

    kpi = forms.ModelChoiceField(label=_("KPI"), queryset=Kpi.objects.all())
    period = _period_code_field()
    scope = forms.ChoiceField(label=_("Applies to"), choices=SCOPES, initial="company")
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.filter(is_active=True), required=False)
    target_value = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=4)
    on_track_from = forms.DecimalField(
        label=_("On track from"),
        max_digits=14,
        decimal_places=4,
        help_text=_("This value and better are on track; between the two thresholds is at risk."),
    )
    off_track_from = forms.DecimalField(
        label=_("Off track from"),
        max_digits=14,
        decimal_places=4,
        help_text=_("This value and worse are off track."),
    )
    weight = forms.DecimalField(label=_("Weight"), max_digits=6, decimal_places=2, min_value=0, initial=1)
    min_sample = forms.IntegerField(
        label=_("Minimum sample"),
        min_value=0,
        initial=0,
        help_text=_("Below this many responses the status is within noise."),
    )
    noise_by_interval = forms.BooleanField(
        label=_("Within noise when the 95 % interval straddles a threshold"),
        required=False,
        help_text=_("Survey KPIs only: the status is not judged while the data cannot tell which band it is in."),
    )

    @classmethod
    def initial_for(cls, target: Target) -> dict[str, Any]:
        scope = "team" if target.team_id else "department" if target.department_id else "company"
        return {
            "kpi": target.kpi,
            "period": target.period.code,
            "scope": scope,
            "department": target.department,
            "team": target.team,
            "target_value": target.target_value.normalize(),
            "on_track_from": target.on_track_from.normalize(),
            "off_track_from": target.off_track_from.normalize(),
            "weight": target.weight.normalize(),
            "min_sample": target.min_sample,
            "noise_by_interval": target.noise_by_interval,
        }

    def clean_period(self) -> str:
        return _clean_period_code(self.cleaned_data["period"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scope = data.get("scope")
        if scope == "department" and not data.get("department"):
            self.add_error("department", _("Choose the department."))
        if scope == "team" and not data.get("team"):
            self.add_error("team", _("Choose the team."))
        if scope != "department":
            data["department"] = None
        if scope != "team":
            data["team"] = None
        kpi = data.get("kpi")
        values = [data.get(name) for name in ("target_value", "on_track_from", "off_track_from")]
        if kpi and all(v is not None for v in values) and (problem := thresholds_problem(kpi.direction, *values)):
            self.add_error("on_track_from", problem)
        return data

    def values(self) -> TargetValues:
        data = self.cleaned_data
        return TargetValues(
            target_value=data["target_value"],
            on_track_from=data["on_track_from"],
            off_track_from=data["off_track_from"],
            weight=data["weight"],
            min_sample=data["min_sample"],
            noise_by_interval=data.get("noise_by_interval", False),
        )


class BulkScopeForm(forms.Form):
    """Step one of the bulk editor: which period, and the department itself or one of its teams."""

    period = _period_code_field()
    scope = forms.ChoiceField(label=_("Targets of"))

    def __init__(self, *args: Any, department: Department, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(department=department, is_active=True).order_by("name")
        self.fields["scope"].choices = [
            ("department", _("%(name)s (the department)") % {"name": department.name}),
            *((f"team-{team.pk}", team.name) for team in teams),
        ]

    def clean_period(self) -> str:
        return _clean_period_code(self.cleaned_data["period"])


class TargetRowForm(forms.Form):
    """One KPI's row in the bulk editor; an empty target removes this scope's target for the KPI."""

    kpi = forms.ModelChoiceField(queryset=Kpi.objects.all(), widget=forms.HiddenInput)
    target_value = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=4, required=False)
    on_track_from = forms.DecimalField(label=_("On track from"), max_digits=14, decimal_places=4, required=False)
    off_track_from = forms.DecimalField(label=_("Off track from"), max_digits=14, decimal_places=4, required=False)
    weight = forms.DecimalField(label=_("Weight"), max_digits=6, decimal_places=2, min_value=0, required=False)
    min_sample = forms.IntegerField(label=_("Min. sample"), min_value=0, required=False)
    noise_by_interval = forms.BooleanField(label=_("Noise by interval"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kpi = data.get("kpi")
        numbers = [data.get(name) for name in ("target_value", "on_track_from", "off_track_from")]
        if all(v is None for v in numbers):
            return data
        if any(v is None for v in numbers):
            raise ValidationError(_("Give the target and both thresholds, or leave all three empty."))
        if kpi and (problem := thresholds_problem(kpi.direction, *numbers)):
            raise ValidationError(problem)
        return data

    def values(self) -> TargetValues | None:
        data = self.cleaned_data
        if data.get("target_value") is None:
            return None
        return TargetValues(
            target_value=data["target_value"],
            on_track_from=data["on_track_from"],
            off_track_from=data["off_track_from"],
            weight=data["weight"] if data.get("weight") is not None else Decimal(1),
            min_sample=data.get("min_sample") or 0,
            noise_by_interval=bool(data.get("noise_by_interval")),
        )


TargetRowFormSet = forms.formset_factory(TargetRowForm, extra=0)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("How did the period go?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ReviewActionForm(forms.Form):
    """The answer for one red KPI: why, what the team will do, who owns it and by when."""

    kpi_code = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Why is it red?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    action = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none())
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, owners=None, line: KpiLine | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        if owners is not None:
            self.fields["owner"].queryset = owners

    def action_input(self) -> ActionInput:
        data = self.cleaned_data
        return ActionInput(
            kpi_code=data["kpi_code"],
            comment=data["comment"],
            action=data["action"],
            owner_id=data["owner"].pk,
            due_date=data["due_date"],
        )
