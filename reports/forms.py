"""Reports forms: the CCO's value model, and the request forms of the Reports page.

Each request form offers only what the user may ask for: others' teams are not choices.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from culture.models import Team
from culture.models.scorecards import scorecard_teams
from culture.scorecards import parse_period
from incentives.models import PayoutLine

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
            "baseline_code",
        ]

    def clean_period_code(self) -> str:
        try:
            return parse_period(self.cleaned_data["period_code"]).code
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_baseline_code(self) -> str:
        code = self.cleaned_data.get("baseline_code", "").strip()
        if not code:
            return ""
        try:
            return parse_period(code).code
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use a three-letter ISO currency code such as EUR."))
        return currency

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        assisted, self_service = cleaned.get("cost_per_assisted_contact"), cleaned.get("cost_per_self_service_contact")
        period, baseline = cleaned.get("period_code"), cleaned.get("baseline_code")
        if period and baseline:
            this, base = parse_period(period), parse_period(baseline)
            if base.kind != this.kind or base.start >= this.start:
                self.add_error(
                    "baseline_code",
                    _("The baseline must be an earlier period of the same length as %(period)s.") % {"period": period},
                )
        if assisted is not None and self_service is not None and self_service > assisted:
            self.add_error(
                "cost_per_self_service_contact",
                _("Self-service usually costs less than an assisted contact; check the figures."),
            )
        return cleaned


class PeriodField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Period"))
        kwargs.setdefault("help_text", _("2026-09, 2026-Q3 or 2026"))
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_period(value.strip()).code
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class BoardReportRequestForm(forms.Form):
    kind = "board_report"
    period = PeriodField()
    chain = forms.BooleanField(
        label=_("Add the service-profit chain"),
        required=False,
        help_text=_(
            "Engagement (eNPS) of the latest pulse whose quarter ended by the period's end against customer NPS "
            "in that quarter, with its correlation and caveats. Left out unless ticked."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def parameters(self) -> dict:
        # Only a ticked box adds a key, so a request without the chain keeps its archive key.
        return {"period": self.cleaned_data["period"]} | ({"chain": True} if self.cleaned_data.get("chain") else {})


class TeamScorecardsBatchRequestForm(BoardReportRequestForm):
    kind = "team_scorecards_batch"

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["chain"]


class TeamScorecardRequestForm(forms.Form):
    kind = "team_scorecard"
    team = forms.ModelChoiceField(queryset=Team.objects.none(), to_field_name="slug", label=_("Team"))
    period = PeriodField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = scorecard_teams(user).order_by("name")

    def parameters(self) -> dict:
        return {"team": self.cleaned_data["team"].slug, "period": self.cleaned_data["period"]}


class StatementRequestForm(forms.Form):
    kind = "incentive_statement"
    line = forms.ModelChoiceField(queryset=PayoutLine.objects.none(), label=_("Statement"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ModelChoiceField, self.fields["line"]).queryset = PayoutLine.objects.visible_to(user)

    def parameters(self) -> dict:
        line = self.cleaned_data["line"]
        hidden = line.teams_hidden_from(self.user)  # the PDF hides the same teams' figures as the page
        return {"line": line.pk, **({"hidden": hidden} if hidden else {})}


REQUEST_FORMS = {
    form.kind: form
    for form in (BoardReportRequestForm, TeamScorecardsBatchRequestForm, TeamScorecardRequestForm, StatementRequestForm)
}


class VerifyReportForm(forms.Form):
    """Either the PDF itself or the verification code printed in its footer."""

    MAX_BYTES = 25 * 1024 * 1024

    document = forms.FileField(
        label=_("The PDF"), required=False, help_text=_("Upload the file exactly as you received it.")
    )
    code = forms.CharField(
        label=_("Or its verification code"),
        required=False,
        max_length=24,
        help_text=_("Ten letters and digits, printed at the foot of every page."),
    )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is not None and document.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than any report we issue (25 MB)."))
        return document

    def clean(self):
        cleaned = super().clean() or {}
        if not cleaned.get("document") and not (cleaned.get("code") or "").strip():
            raise forms.ValidationError(_("Upload the PDF or type its verification code."))
        return cleaned
