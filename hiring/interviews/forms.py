"""Forms for interviews, interview scorecards and 90-day reviews: they validate and explain, one service writes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hiring.models import Scorecard

User = get_user_model()

NOT_ASSESSED = ""
RATING_CHOICES = [(NOT_ASSESSED, _("Not assessed")), *((str(n), str(n)) for n in range(1, 6))]
REQUIRED_RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class InterviewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, initial="Service-orientation interview")
    scheduled_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    interviewers = forms.ModelMultipleChoiceField(
        label=_("Interviewers"), queryset=User.objects.filter(is_active=True).order_by("name")
    )


class RescheduleForm(forms.Form):
    """A new time for an interview and why it moves (the interviewers read the reason)."""

    scheduled_at = forms.DateTimeField(
        label=_("New time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the interviewers with the updated invitation."),
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_scheduled_at(self):
        value = self.cleaned_data["scheduled_at"]
        if self.current is not None and value == self.current:
            raise forms.ValidationError(_("Pick a time other than the current one."))
        return value


class CancelInterviewForm(forms.Form):
    """Cancelling asks for a reason on a confirmation page: the interviewers get a cancellation."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the interviewers with the cancellation."),
    )


class ScorecardForm(forms.Form):
    """A rating (or not assessed) and evidence per competency, then the overall recommendation.

    As a draft (`is_draft`) nothing is required: the notes are kept as they are, to finish later.
    """

    recommendation = forms.ChoiceField(
        label=_("Overall recommendation"),
        choices=Scorecard.Recommendation.choices,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, competencies, is_draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_draft = is_draft
        self.fields["recommendation"].required = not is_draft
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
        super().clean()
        data = self.cleaned_data
        if self.is_draft:
            return data
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

    @staticmethod
    def initial_from_draft(draft) -> dict[str, str]:
        """The form's initial values from a saved draft (the notes taken so far)."""
        initial = {"recommendation": draft.recommendation, "summary": draft.summary}
        for pk, entry in draft.entries.items():
            rating = entry.get("rating")
            initial[f"rating_{pk}"] = "" if rating is None else str(rating)
            initial[f"evidence_{pk}"] = entry.get("evidence") or ""
        return initial

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
