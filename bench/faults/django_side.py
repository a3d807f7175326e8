"""The fault harness's Django side, run in the scratch database through `manage.py shell`."""

from __future__ import annotations

import json

from django.db.models import Count, Max, Sum

from culture.models import Team
from reports.models import GeneratedReport
from reports.tasks import request_report
from users.models import User


def request_team_scorecards(periods: list[str], teams: int = 40) -> None:
    cco = User.objects.get(email="cco@centric.demo")
    for team in Team.objects.order_by("slug")[:teams]:
        for period in periods:
            request_report(kind="team_scorecard", parameters={"team": team.slug, "period": period}, user=cco)


def print_status_counts() -> None:
    counts = GeneratedReport.objects.values("status").annotate(n=Count("pk"))
    print(json.dumps({row["status"]: row["n"] for row in counts}))


def print_detail() -> None:
    reports = GeneratedReport.objects.all()
    totals = reports.aggregate(total_attempts=Sum("attempts"), max_attempts=Max("attempts"))
    print(
        json.dumps(
            {
                "rows": reports.count(),
                "distinct_requests": reports.values("request_key").distinct().count(),
                **totals,
                "files": sorted(reports.exclude(file="").values_list("file", flat=True)),
            }
        )
    )
