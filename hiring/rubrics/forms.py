"""Forms for rubrics and their competencies: they validate and explain, one service writes."""

from __future__ import annotations

from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from hiring.models import Competency


class RubricForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_name(self):
        from hiring.models import Rubric

        name = self.cleaned_data["name"].strip()
        if Rubric.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("A rubric with this name exists; create a new version of it instead."))
        return name


class CompetencyForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = [
            "order",
            "key",
            "name",
            "weight",
            "description",
            "anchor_1",
            "anchor_2",
            "anchor_3",
            "anchor_4",
            "anchor_5",
            "questions",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ("description", "anchor_1", "anchor_2", "anchor_3", "anchor_4", "anchor_5", "questions")
        }


class BaseCompetencyFormSet(BaseModelFormSet):
    def clean(self):
        super().clean()
        keys = [
            form.cleaned_data.get("key")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        duplicates = {key for key in keys if key and keys.count(key) > 1}
        if duplicates:
            raise forms.ValidationError(
                _("Each key may appear once: %(keys)s.") % {"keys": ", ".join(sorted(duplicates))}
            )
        if not [key for key in keys if key]:
            raise forms.ValidationError(_("Keep at least one competency."))


CompetencyFormSet = modelformset_factory(
    Competency, form=CompetencyForm, formset=BaseCompetencyFormSet, extra=1, can_delete=True
)
