"""One team scorecard PDF, end to end (data, charts, template, tagged PDF), against WeasyPrint alone printing the
same pre-rendered HTML. Target: ours <= 1.2x WeasyPrint.

Two baselines, both WeasyPrint called as a user would (a fresh font configuration per PDF, its default):
plain output, and the same tagged PDF/UA-1 output we produce. The first ratio includes the cost of tagging
(the structure tree an accessible PDF needs, paid inside WeasyPrint); the second is what our own code adds.

Run: .venv/bin/python bench/bench_pdf_team_scorecard.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_pdf_setup import (
    PERIOD,
    ensure_data,
    interleaved,
    load_average,
    median,
    setup_django,
    write_result,
)

REPEAT = 31
TARGET = 1.2


def main() -> None:
    setup_django()
    ensure_data()
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from core.pdf import STATIC_BASE, StaticOnlyFetcher
    from culture.models import Team
    from reports.documents import get_kind
    from reports.documents.common import input_checksum
    from reports.documents.team_scorecard import (
        TEMPLATE,
        gather_team_scorecards,
        render_team_scorecard,
        team_scorecard_context,
    )

    team = Team.objects.order_by("slug").first()
    kind = get_kind("team_scorecard")
    params = kind.clean_parameters({"team": team.slug, "period": PERIOD})
    (data,) = gather_team_scorecards(period_code=PERIOD, team_ids=[team.pk])
    html = render_to_string(
        TEMPLATE, {"STATIC_BASE": STATIC_BASE, **team_scorecard_context(data, input_checksum(data.evidence()))}
    )

    def ours() -> object:
        return kind.build(params, lambda _p: None)

    def weasyprint_alone() -> bytes:
        return HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf()

    def weasyprint_tagged() -> bytes:
        fetcher = StaticOnlyFetcher()
        return HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")

    def render_only() -> object:
        return render_team_scorecard(data)

    load = load_average()
    runs = interleaved(
        {"ours": ours, "weasyprint": weasyprint_alone, "weasyprint_ua": weasyprint_tagged, "render": render_only},
        REPEAT,
    )
    cpu = {name: median(times["cpu"]) for name, times in runs.items()}
    wall = {name: median(times["wall"]) for name, times in runs.items()}
    best = {name: min(times["cpu"]) for name, times in runs.items()}
    ratio = cpu["ours"] / cpu["weasyprint"]
    ratio_ua = cpu["ours"] / cpu["weasyprint_ua"]
    tagging = cpu["weasyprint_ua"] / cpu["weasyprint"]
    result = {
        "team": team.slug,
        "period": PERIOD,
        "repeat": REPEAT,
        "load_average_at_start": load,
        "load_average_at_end": load_average(),
        "ours_cpu_median_s": round(cpu["ours"], 4),
        "weasyprint_cpu_median_s": round(cpu["weasyprint"], 4),
        "ours_without_data_cpu_median_s": round(cpu["render"], 4),
        "ours_wall_median_s": round(wall["ours"], 4),
        "weasyprint_wall_median_s": round(wall["weasyprint"], 4),
        "wall_ratio": round(wall["ours"] / wall["weasyprint"], 3),
        "weasyprint_ua_cpu_median_s": round(cpu["weasyprint_ua"], 4),
        "ratio_vs_weasyprint_ua": round(ratio_ua, 3),
        "weasyprint_tagging_cost": round(tagging, 3),
        "ours_cpu_min_s": round(best["ours"], 4),
        "weasyprint_cpu_min_s": round(best["weasyprint"], 4),
        "ratio_of_minimums": round(best["ours"] / best["weasyprint"], 3),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET,
        "met": ratio <= TARGET,
        "met_vs_weasyprint_ua": ratio_ua <= TARGET,
    }
    path = write_result("bench_pdf_team_scorecard", result)
    print(
        f"bench_pdf_team_scorecard (CPU medians of {REPEAT}, load {load} -> {result['load_average_at_end']}; "
        f"target <= {TARGET}x)\n"
        f"  ours end to end (data {1000 * (cpu['ours'] - cpu['render']):.0f} ms, charts, template, tagged PDF/UA-1): "
        f"{cpu['ours']:.3f} s\n"
        f"  vs WeasyPrint plain on the same HTML ({cpu['weasyprint']:.3f} s): {ratio:.2f}x "
        f"{'met' if result['met'] else 'MISSED'} (best runs {result['ratio_of_minimums']:.2f}x, wall "
        f"{result['wall_ratio']:.2f}x): includes tagging, which costs WeasyPrint itself {tagging:.2f}x here\n"
        f"  vs WeasyPrint producing the same tagged PDF/UA-1 ({cpu['weasyprint_ua']:.3f} s): {ratio_ua:.2f}x "
        f"{'met' if result['met_vs_weasyprint_ua'] else 'MISSED'}: what our own code adds\n"
        f"  {path}"
    )


if __name__ == "__main__":
    main()
