"""Request forms of the Reports page: each offers only what the user may ask for (others' teams are not choices)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from culture.models import Team
from culture.models.scorecards import scorecard_teams
from culture.scorecards import parse_period
from incentives.models import PayoutLine


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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def parameters(self) -> dict:
        return {"period": self.cleaned_data["period"]}


class TeamScorecardsBatchRequestForm(BoardReportRequestForm):
    kind = "team_scorecards_batch"


class TeamScorecardRequestForm(forms.Form):
    kind = "team_scorecard"
    team = forms.ModelChoiceField(queryset=Team.objects.none(), to_field_name="slug", label=_("Team"))
    period = PeriodField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = scorecard_teams(user).order_by("name")

    def parameters(self) -> dict:
        return {"team": self.cleaned_data["team"].slug, "period": self.cleaned_data["period"]}


class StatementRequestForm(forms.Form):
    kind = "incentive_statement"
    line = forms.ModelChoiceField(queryset=PayoutLine.objects.none(), label=_("Statement"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = PayoutLine.objects.visible_to(user)

    def parameters(self) -> dict:
        return {"line": self.cleaned_data["line"].pk}


REQUEST_FORMS = {
    form.kind: form
    for form in (BoardReportRequestForm, TeamScorecardsBatchRequestForm, TeamScorecardRequestForm, StatementRequestForm)
}
