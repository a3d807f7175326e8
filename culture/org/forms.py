"""Org management forms: departments and teams (create, rename, move), merge, close, set the lead."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Department, Person, Team


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def _effective_field(label=None) -> forms.DateField:
    return forms.DateField(
        label=label or _("Effective date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Memberships change on this day (the old ones end the day before); closed periods are refused."),
    )


class DepartmentForm(_Styled):
    name = forms.CharField(label=_("Name"), max_length=120)
    parent = forms.ModelChoiceField(
        label=_("Parent department"), queryset=Department.objects.filter(is_active=True), required=False
    )


class TeamForm(_Styled):
    name = forms.CharField(label=_("Name"), max_length=120)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.filter(is_active=True))


class TeamMergeForm(_Styled):
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=Team.objects.filter(is_active=True))
    effective = _effective_field()

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        others = Team.objects.filter(is_active=True).exclude(pk=team.pk)
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = others


class TeamCloseForm(_Styled):
    on = _effective_field(_("Closed from"))


class TeamLeadForm(_Styled):
    person = forms.ModelChoiceField(label=_("New lead"), queryset=Person.objects.filter(is_active=True))
    effective = _effective_field()
