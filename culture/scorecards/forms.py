"""Forms for targets (one and in bulk per scope) and for a lead's period review. They validate; services write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import Department, Kpi, Person, SeasonalProfile, Target, Team
from .calculations import KpiLine
from .periods import PeriodKind, parse_period
from .phasing import profile_problem
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
    planned_volume = forms.DecimalField(
        label=_("Planned volume"),
        max_digits=18,
        decimal_places=4,
        min_value=0,
        required=False,
        help_text=_("Planned contacts or responses this month: weighs the month in its quarter's and year's target."),
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
            "planned_volume": target.planned_volume.normalize() if target.planned_volume is not None else None,
            "noise_by_interval": target.noise_by_interval,
        }

    def clean_period(self) -> str:
        return _clean_period_code(self.cleaned_data["period"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
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
        values: list[Any] = [data.get(name) for name in ("target_value", "on_track_from", "off_track_from")]
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
            planned_volume=data.get("planned_volume"),
            noise_by_interval=data.get("noise_by_interval", False),
        )


FLAT = "flat"
NO_PHASING = ""


def phasing_choices() -> list[tuple[str, str | Promise]]:
    profiles = [(str(p.pk), str(p)) for p in SeasonalProfile.objects.order_by("name")]
    return [(NO_PHASING, _("No (the year only)")), (FLAT, _("Flat")), *profiles]


def chosen_profile(value: str) -> SeasonalProfile | None:
    return SeasonalProfile.objects.get(pk=int(value)) if value not in (FLAT, NO_PHASING) else None


class BulkScopeForm(forms.Form):
    """Step one of the bulk editor: which period, and which scope: with a department, the department itself or
    one of its teams; without, the company or any department."""

    period = _period_code_field()
    scope = forms.ChoiceField(label=_("Targets of"))
    phasing = forms.ChoiceField(
        label=_("Phase a year into months"),
        required=False,
        help_text=_("For a year: write each saved target's twelve months too (months set directly are kept)."),
    )

    def __init__(self, *args: Any, department: Department | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["phasing"]).choices = phasing_choices()
        if department is None:
            departments = Department.objects.order_by("name")
            cast(forms.ChoiceField, self.fields["scope"]).choices = [
                ("company", _("The company")),
                *((f"department-{d.pk}", d.name) for d in departments),
            ]
            return
        teams = Team.objects.filter(department=department, is_active=True).order_by("name")
        cast(forms.ChoiceField, self.fields["scope"]).choices = [
            ("department", _("%(name)s (the department)") % {"name": department.name}),
            *((f"team-{team.pk}", team.name) for team in teams),
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        code = data.get("period")
        if data.get("phasing") and code and parse_period(code).kind is not PeriodKind.YEAR:
            self.add_error("phasing", _("Only a year is phased into months; choose a year such as 2027."))
        return data

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
    planned_volume = forms.DecimalField(
        label=_("Planned volume"), max_digits=18, decimal_places=4, min_value=0, required=False
    )
    noise_by_interval = forms.BooleanField(label=_("Noise by interval"), required=False)

    FIGURES = ("target_value", "on_track_from", "off_track_from")

    def clean(self) -> dict[str, Any]:
        """Each problem on the cell it is about, so a failed save says which cell to fix."""
        super().clean()
        data = self.cleaned_data
        kpi = data.get("kpi")
        figures = [name for name in self.FIGURES if name not in self.errors]
        numbers: list[Any] = [data.get(name) for name in self.FIGURES]
        if len(figures) < len(self.FIGURES) or all(v is None for v in numbers):
            return data
        if any(v is None for v in numbers):
            for name, value in zip(self.FIGURES, numbers, strict=True):
                if value is None:
                    self.add_error(name, _("Needed with the other two (or leave all three empty)."))
            return data
        if kpi and (problem := thresholds_problem(kpi.direction, *numbers)):
            self.add_error("on_track_from", problem)
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
            planned_volume=data.get("planned_volume"),
            noise_by_interval=bool(data.get("noise_by_interval")),
        )


TargetRowFormSet = forms.formset_factory(TargetRowForm, extra=0)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("How did the period go?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ReviewActionForm(forms.Form):
    """The answer for one off-track KPI: why, what the team will do, who owns it and by when.

    Required for a red KPI; for an amber one (`optional`) the lead may leave all four empty."""

    kpi_code = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Why is it off track?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    action = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none())
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    ANSWER_FIELDS = ("comment", "action", "owner", "due_date")

    def __init__(
        self, *args: Any, owners=None, line: KpiLine | None = None, optional: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        self.optional = optional
        if owners is not None:
            cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners
        if optional:
            for name in self.ANSWER_FIELDS:
                self.fields[name].required = False
                self.fields[name].help_text = _("Optional for an amber KPI: fill in all four or none.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.optional:
            given = [name for name in self.ANSWER_FIELDS if data.get(name) not in (None, "")]
            if given and len(given) < len(self.ANSWER_FIELDS):
                for name in self.ANSWER_FIELDS:
                    if name not in given and name not in self.errors:
                        self.add_error(name, _("Fill this in too, or leave all four empty for no action."))
        return data

    def action_input(self) -> ActionInput | None:
        """The answer, or None for an amber KPI left without an action."""
        data = self.cleaned_data
        if self.optional and not data.get("action"):
            return None
        return ActionInput(
            kpi_code=data["kpi_code"],
            comment=data["comment"],
            action=data["action"],
            owner_id=data["owner"].pk,
            due_date=data["due_date"],
        )


class CopyForwardForm(forms.Form):
    """Which targets to carry to the next periods, and what to do with targets already there."""

    source = forms.CharField(label=_("Copy the targets of"), max_length=7, help_text=_("2026-09, 2026-Q3 or 2026"))
    periods = forms.IntegerField(
        label=_("To the next"), min_value=1, max_value=24, initial=1, help_text=_("periods of the same kind")
    )
    scope = forms.ChoiceField(label=_("Scope"))
    kpis = forms.ModelMultipleChoiceField(
        label=_("KPIs"),
        queryset=Kpi.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every KPI."),
    )
    existing = forms.ChoiceField(
        label=_("Where a target exists"),
        choices=[("skip", _("Keep it (skip)")), ("overwrite", _("Overwrite it"))],
        initial="skip",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["scope"]).choices = [
            ("all", _("Every scope")),
            ("company", _("The company")),
            *((f"department-{d.pk}", d.name) for d in Department.objects.order_by("name")),
            *((f"team-{t.pk}", t.name) for t in Team.objects.filter(is_active=True).order_by("name")),
        ]

    def clean_source(self) -> str:
        return _clean_period_code(self.cleaned_data["source"])

    def plan_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        scope = data["scope"]
        kwargs: dict[str, Any] = {
            "source": data["source"],
            "periods": data["periods"],
            "overwrite": data["existing"] == "overwrite",
            "kpi_ids": [k.pk for k in data["kpis"]] or None,
        }
        if scope == "company":
            kwargs["company"] = True
        elif scope.startswith("department-"):
            kwargs["department"] = Department.objects.get(pk=int(scope.removeprefix("department-")))
        elif scope.startswith("team-"):
            kwargs["team"] = Team.objects.get(pk=int(scope.removeprefix("team-")))
        return kwargs


class PhaseForm(forms.Form):
    """How a year's target is phased into its months."""

    phasing = forms.ChoiceField(label=_("Phase into months"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [c for c in phasing_choices() if c[0] != NO_PHASING]
        cast(forms.ChoiceField, self.fields["phasing"]).choices = choices


class SeasonalProfileForm(forms.ModelForm):
    """A seasonal profile: twelve non-negative weights, January first, at least one above zero."""

    class Meta:
        model = SeasonalProfile
        fields = ["name", "description", "weights"]

    def clean_weights(self) -> list[str]:
        raw = self.cleaned_data["weights"]
        try:
            weights = [Decimal(str(value)) for value in raw]
        except (TypeError, ArithmeticError, ValueError) as error:
            raise ValidationError(_('Give twelve numbers, January first, such as ["1", "1.2", ...].')) from error
        if (problem := profile_problem(weights)) is not None:
            raise ValidationError(problem)
        return [str(weight) for weight in weights]
