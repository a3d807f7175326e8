"""Pulse forms: publish a pulse, answer one, filter results."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Department, Kpi, Pulse, PulseLibraryVersion, PulseQuestion, Team
from .linkage import MAX_LAG, MEASURES
from .results import closed_pulses


class PulseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    library_version = forms.ModelChoiceField(
        label=_("Question library version"),
        queryset=PulseLibraryVersion.objects.filter(status=PulseLibraryVersion.Status.PUBLISHED),
        help_text=_("Only published versions can be sent; a published version never changes."),
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"), queryset=Team.objects.filter(is_active=True), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Results are shown once the pulse has closed."),
    )
    repeat_every_months = forms.IntegerField(
        label=_("Repeat every (months)"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("Optional: publish it again this many months after it opens; leave empty for a single pulse."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The pulse must close on or after the day it opens."))
        return data


class AnswerForm(forms.Form):
    """One radio group per question of the pulse's library version, all required."""

    def __init__(self, *args: Any, questions: list[PulseQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            choices: list[tuple[int, Any]]
            help_text: Any
            if question.kind == PulseQuestion.Kind.ENPS:
                choices = [(n, str(n)) for n in question.scale]
                help_text = _("0 = not at all likely, 10 = extremely likely")
            else:
                choices = [
                    (1, _("1 - strongly disagree")),
                    (2, _("2 - disagree")),
                    (3, _("3 - neither")),
                    (4, _("4 - agree")),
                    (5, _("5 - strongly agree")),
                ]
                help_text = ""
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=help_text,
                error_messages={"required": _("Choose an answer to this question.")},
            )

    def scores(self) -> dict[int, int]:
        return {question.pk: self.cleaned_data[f"q{question.pk}"] for question in self.questions}


SCOPES = [("", _("Any")), ("company", _("Company")), ("department", _("Department")), ("team", _("Team"))]


class ResultFilterForm(forms.Form):
    """Filters pick rows among those the rule allows; none of them forms a group of its own."""

    pulse = forms.ModelChoiceField(label=_("Pulse"), queryset=Pulse.objects.none(), required=False)
    scope = forms.ChoiceField(label=_("Level"), choices=SCOPES, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    question = forms.ChoiceField(label=_("Question"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["pulse"].queryset = Pulse.objects.visible_to(user)
        fields["team"].queryset = Team.objects.visible_to(user)
        fields["department"].queryset = Department.objects.visible_to(user)
        keys = PulseQuestion.objects.order_by("key").values_list("key", flat=True).distinct()
        fields["question"].choices = [("", _("All questions together")), *[(k, k) for k in keys]]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class ChainForm(forms.Form):
    """The service-profit chain's choices on the CCO dashboard (a GET form); empty fields take the defaults."""

    pulse = forms.ModelChoiceField(
        label=_("Pulse"),
        queryset=Pulse.objects.none(),
        required=False,
        empty_label=_("Latest with a complete KPI period"),
    )
    measure = forms.ChoiceField(label=_("Engagement"), choices=list(MEASURES.items()), required=False)
    kpi = forms.ModelChoiceField(
        label=_("Customer KPI"), queryset=Kpi.objects.all(), to_field_name="code", required=False
    )
    lag = forms.TypedChoiceField(
        label=_("KPI lag (quarters after the pulse)"),
        choices=[(n, str(n)) for n in range(MAX_LAG + 1)],
        coerce=int,
        required=False,
        empty_value=0,  # type: ignore[arg-type]  # django-stubs types it str; an int is what coerce gives
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["pulse"].queryset = closed_pulses().visible_to(user).order_by("-closes_on", "-pk")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class QuestionForm(forms.ModelForm):
    """One question of a draft library version; "Retire" (the formset's delete box) leaves it out of the draft."""

    class Meta:
        model = PulseQuestion
        fields = ["order", "key", "kind", "text"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class BaseQuestionFormSet(forms.BaseModelFormSet):
    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Retire")

    def clean(self) -> None:
        super().clean()
        keys = [
            form.cleaned_data["key"]
            for form in self.forms
            if form.cleaned_data.get("key") and not form.cleaned_data.get("DELETE")
        ]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError(_("Each question needs its own key."))


QuestionFormSet = forms.modelformset_factory(
    PulseQuestion, form=QuestionForm, formset=BaseQuestionFormSet, extra=2, can_delete=True
)


def question_rows(formset: BaseQuestionFormSet) -> tuple[list[dict[str, Any]], list[int]]:
    """(rows for `save_questions`, ids of retired questions) from a valid formset; blank extra forms are skipped."""
    rows: list[dict[str, Any]] = []
    retired: list[int] = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        if data.get("DELETE"):
            if form.instance.pk:
                retired.append(form.instance.pk)
            continue
        rows.append({"id": form.instance.pk, **{key: data[key] for key in ("order", "key", "kind", "text")}})
    return rows, retired
