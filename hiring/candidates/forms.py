"""Forms for candidates, applications, decisions and erasure: they validate and explain, one service writes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hiring.models import Application, Candidate, Position

User = get_user_model()
MAX_CV_BYTES = 5 * 1024 * 1024
CV_EXTENSIONS = ("pdf", "doc", "docx", "odt", "txt")


def date_input() -> forms.DateInput:
    # A browser's date picker reads only ISO values; en-gb's 02/03/2026 would show as an empty field.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["name", "email", "phone", "source", "has_consent", "retain_until", "notes", "cv"]
        widgets = {"retain_until": date_input(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"retain_until": _("Leave empty for the standard retention period.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retain_until"].required = False

    def clean_cv(self):
        cv = self.cleaned_data.get("cv")
        if cv and hasattr(cv, "size"):
            if cv.size > MAX_CV_BYTES:
                raise forms.ValidationError(_("The CV may be at most 5 MB."))
            extension = cv.name.rsplit(".", 1)[-1].lower() if "." in cv.name else ""
            if extension not in CV_EXTENSIONS:
                raise forms.ValidationError(_("Upload a CV as %(types)s.") % {"types": ", ".join(CV_EXTENSIONS)})
        return cv


class ApplicationForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("Candidate"), queryset=Candidate.objects.none())
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    applied_on = forms.DateField(label=_("Applied on"), widget=date_input())
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = Candidate.objects.visible_to(user).filter(anonymised_at__isnull=True)
        self.fields["position"].queryset = (
            Position.objects.visible_to(user).filter(status=Position.Status.OPEN).select_related("team")
        )

    def clean(self):
        data = super().clean()
        candidate, position = data.get("candidate"), data.get("position")
        if candidate and position and Application.objects.filter(candidate=candidate, position=position).exists():
            raise forms.ValidationError(_("This candidate has already applied to this position."))
        return data


class DecisionForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("Move to stage"),
        choices=Application.Stage.choices,
        error_messages={"required": _("Choose the stage to move to.")},
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        # No stage is preselected: the first one would often be a step back (Interview -> Applied).
        self.fields["to_stage"].choices = [
            ("", _("Choose a stage…")),
            *((v, label) for v, label in Application.Stage.choices if v != application.stage),
        ]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for this decision."))
        return reason


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand this removes the candidate's personal data for good."), required=True
    )
