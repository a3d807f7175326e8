"""Forms for positions: they validate and explain, one service writes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from culture.models import Team
from hiring.candidates.forms import date_input
from hiring.models import Position, RubricVersion

User = get_user_model()


class PositionForm(forms.ModelForm):
    interviewers = forms.ModelMultipleChoiceField(
        label=_("Interview panel"), queryset=User.objects.filter(is_active=True).order_by("name"), required=False
    )

    class Meta:
        model = Position
        fields = ["title", "team", "rubric_version", "bar_score", "hiring_manager", "status", "opened_on"]
        widgets = {"opened_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(is_active=True)
        self.fields["rubric_version"].queryset = RubricVersion.objects.published().select_related("rubric")
        self.fields["hiring_manager"].queryset = User.objects.filter(is_active=True).order_by("name")
        if self.instance.pk:
            self.fields["interviewers"].initial = list(self.instance.interviewers.all())
