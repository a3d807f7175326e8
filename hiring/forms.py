"""Hiring forms: they validate and explain; the views hand the cleaned data to one service."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from culture.models import Team

from .models import Application, Candidate, Competency, Position, RubricVersion, Scorecard

User = get_user_model()

NOT_ASSESSED = ""
RATING_CHOICES = [(NOT_ASSESSED, _("Not assessed")), *((str(n), str(n)) for n in range(1, 6))]
REQUIRED_RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)]
MAX_CV_BYTES = 5 * 1024 * 1024
CV_EXTENSIONS = ("pdf", "doc", "docx", "odt", "txt")


def date_input() -> forms.DateInput:
    # A browser's date picker reads only ISO values; en-gb's 02/03/2026 would show as an empty field.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RubricForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_name(self):
        from .models import Rubric

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


class InterviewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, initial="Service-orientation interview")
    scheduled_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    interviewers = forms.ModelMultipleChoiceField(
        label=_("Interviewers"), queryset=User.objects.filter(is_active=True).order_by("name")
    )


class ScorecardForm(forms.Form):
    """A rating (or not assessed) and evidence per competency, then the overall recommendation."""

    recommendation = forms.ChoiceField(
        label=_("Overall recommendation"), choices=Scorecard.Recommendation.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        for competency in self.competencies:
            self.fields[f"rating_{competency.pk}"] = forms.ChoiceField(
                label=competency.name, choices=RATING_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.fields[f"evidence_{competency.pk}"] = forms.CharField(
                label=_("Evidence for %(name)s") % {"name": competency.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def clean(self):
        data = super().clean()
        rated = False
        for competency in self.competencies:
            rating = data.get(f"rating_{competency.pk}")
            if rating:
                rated = True
                if not (data.get(f"evidence_{competency.pk}") or "").strip():
                    self.add_error(f"evidence_{competency.pk}", _("Note the evidence behind this rating."))
        if not rated:
            raise forms.ValidationError(_("Rate at least one competency."))
        return data

    def rows(self):
        """(competency, rating field, evidence field) for the template."""
        return [(c, self[f"rating_{c.pk}"], self[f"evidence_{c.pk}"]) for c in self.competencies]

    def ratings(self):
        from .services import RatingEntry

        return {
            c.pk: RatingEntry(
                rating=int(self.cleaned_data[f"rating_{c.pk}"]) if self.cleaned_data.get(f"rating_{c.pk}") else None,
                evidence=self.cleaned_data.get(f"evidence_{c.pk}", "").strip(),
            )
            for c in self.competencies
        }


class HireReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        for competency in self.competencies:
            self.fields[f"rating_{competency.pk}"] = forms.ChoiceField(
                label=competency.name, choices=REQUIRED_RATING_CHOICES, widget=forms.RadioSelect
            )

    def rows(self):
        return [(c, self[f"rating_{c.pk}"]) for c in self.competencies]

    def ratings(self) -> dict[int, int]:
        return {c.pk: int(self.cleaned_data[f"rating_{c.pk}"]) for c in self.competencies}


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand this removes the candidate's personal data for good."), required=True
    )
