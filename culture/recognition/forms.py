from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Kpi, Person, Recognition
from .services import STORY_MAX, STORY_MIN, colleagues


class RecognitionForm(forms.Form):
    """Who, for which value or KPI, and the story; the service checks the rules again."""

    person = forms.ModelChoiceField(
        label=_("Colleague"), queryset=Person.objects.none(), help_text=_("A colleague of one of your teams.")
    )
    value = forms.ChoiceField(
        label=_("Culture value"),
        required=False,
        choices=[("", "—"), *Recognition.Value.choices],
        help_text=_("A value, a KPI, or both."),
    )
    kpi = forms.ModelChoiceField(label=_("KPI"), required=False, queryset=Kpi.objects.order_by("name"))
    story = forms.CharField(
        label=_("What did they do for the customer?"),
        min_length=STORY_MIN,
        max_length=STORY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A short story: the situation, what they did, what it meant for the customer."),
    )

    def __init__(self, *args: Any, giver=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if giver is not None:
            cast(forms.ModelChoiceField, self.fields["person"]).queryset = colleagues(giver)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("value") and not data.get("kpi") and "value" not in self.errors:
            self.add_error("value", _("Say which culture value or KPI the act served."))
        return data
