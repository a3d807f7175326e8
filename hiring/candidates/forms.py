"""Forms for candidates, applications, decisions and erasure: they validate and explain, one service writes."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hiring.models import Application, Candidate, Position

from .checks import MAX_CV_BYTES, cv_extension_matches, sniff_cv_type

User = get_user_model()
CV_TYPES = ("pdf", "docx", "odt")


def date_input() -> forms.DateInput:
    # A browser's date picker reads only ISO values; en-gb's 02/03/2026 would show as an empty field.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["name", "email", "phone", "source", "has_consent", "retain_until", "notes", "cv"]
        widgets = {"retain_until": date_input(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"retain_until": _("Leave empty for the standard retention period.")}

    create_anyway = forms.BooleanField(
        label=_("I checked the possible duplicates: create a new candidate anyway"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retain_until"].required = False
        self.duplicates: list[Candidate] = []
        if self.instance.pk:  # duplicates are checked when a candidate is created; edits merge instead
            del self.fields["create_anyway"]

    def clean_cv(self):
        """The type comes from the content (an executable named .pdf is refused), within the size limit."""
        cv = self.cleaned_data.get("cv")
        if cv and hasattr(cv, "size"):
            if cv.size > MAX_CV_BYTES:
                raise forms.ValidationError(_("The CV may be at most 5 MB."))
            cv.seek(0)
            content = cv.read(MAX_CV_BYTES + 1)
            cv.seek(0)
            kind = sniff_cv_type(content[:512], content)
            if kind is None or not cv_extension_matches(cv.name, kind):
                raise forms.ValidationError(
                    _("Upload the CV as a PDF, DOCX or ODT file; this file's content is not one of them.")
                )
        return cv

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if "create_anyway" in self.fields and not data.get("create_anyway"):
            from .services import find_duplicates

            self.duplicates = find_duplicates(email=data.get("email") or "", phone=data.get("phone") or "")
            if self.duplicates:
                names = ", ".join(f"{c.name} (#{c.pk})" for c in self.duplicates)
                raise forms.ValidationError(
                    _(
                        "Possible duplicate of %(names)s (same email or phone). Open that record, or tick the box "
                        "below to create a new candidate anyway."
                    )
                    % {"names": names},
                    code="duplicate",
                )
        return data


class ApplicationForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("Candidate"), queryset=Candidate.objects.none())
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    applied_on = forms.DateField(label=_("Applied on"), widget=date_input())
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = Candidate.objects.visible_to(user).filter(anonymised_at__isnull=True)
        cast(forms.ModelChoiceField, self.fields["candidate"]).queryset = candidates
        cast(forms.ModelChoiceField, self.fields["position"]).queryset = (
            Position.objects.visible_to(user).filter(status=Position.Status.OPEN).select_related("team")
        )

    def clean_applied_on(self):
        from django.utils import timezone

        from .services import check_applied_on

        applied_on = self.cleaned_data["applied_on"]
        try:
            check_applied_on(applied_on, timezone.localdate())
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["applied_on"]) from error
        return applied_on

    def clean(self):
        super().clean()
        data = self.cleaned_data
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
    exception_reason = forms.CharField(
        label=_("Why set the process aside (only to skip the interviews or to offer or hire below the bar)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        # No stage is preselected: the first one would often be a step back (Interview -> Applied).
        cast(forms.ChoiceField, self.fields["to_stage"]).choices = [
            ("", _("Choose a stage…")),
            # Hiring has its own page: it also makes the employee and schedules the 90-day review.
            *((v, label) for v, label in Application.Stage.choices if v not in (application.stage, "hired")),
        ]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for this decision."))
        return reason


class HireForm(forms.Form):
    """Hire: the decision's reasons, and who the hire becomes in the team (found by email, else created)."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    exception_reason = forms.CharField(
        label=_("Why hire below the bar or without interviews (required then)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    starts_on = forms.DateField(
        label=_("First day in the team"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    email = forms.EmailField(
        label=_("Work email"), help_text=_("An employee with this email is linked; otherwise one is created.")
    )
    employee_number = forms.CharField(
        label=_("Employee number"),
        max_length=30,
        required=False,
        help_text=_("From the HR system; needed when nobody has this email yet."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for this decision."))
        return reason


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label=_("Duplicate record to fold into this one"), queryset=Candidate.objects.none()
    )
    confirm = forms.BooleanField(
        label=_("Move its applications here and anonymise the duplicate record."), required=True
    )

    def __init__(self, *args, duplicates, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["duplicate"]).queryset = Candidate.objects.filter(
            pk__in=[c.pk for c in duplicates]
        )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand this removes the candidate's personal data for good."), required=True
    )
