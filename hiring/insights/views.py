"""Hiring that learns: interviewer calibration across panels."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.views import FilteredTableView

from ..models import Rating, Scorecard
from .calibration import calibration_of
from .filtersets import CalibrationFilterSet
from .tables import CalibrationTable

# An interviewer's leaning as the calculations name it (stdlib only, English codes), in the reader's language.
LEANINGS = {
    "lenient": _("lenient"),
    "harsh": _("harsh"),
    "calibrated": _("calibrated"),
    "unknown": _("unknown"),
}


class CalibrationView(FilteredTableView):
    """Each interviewer's mean distance from the rest of their panels, over the filtered scorecards."""

    permission_required = "hiring.view_rubric"
    table_class = CalibrationTable
    filterset_class = CalibrationFilterSet
    template_name = "hiring/calibration_list.html"
    title = _("Interviewer calibration")
    export_name = "interviewer-calibration"

    queryset = Scorecard.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("interview").prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.only("scorecard_id", "competency_id", "rating"))
        )

    def get_table_data(self):
        results = calibration_of(self.object_list)
        names = {
            u.pk: str(u)
            for u in get_user_model()
            .objects.filter(pk__in=[r.interviewer_id for r in results])
            .only("pk", "name", "email")
        }
        return [
            {
                "interviewer": names.get(r.interviewer_id, r.interviewer_id),
                "applications": r.applications,
                "compared_ratings": r.compared_ratings,
                "mean_distance": r.mean_distance,
                "mean_offset": r.mean_offset,
                "leaning": LEANINGS.get(r.leaning, r.leaning),
            }
            for r in results
        ]
