"""The board report (40 teams, 8 departments) end to end in pages per second on one core. Target: >= 5 pages/s.

Run: .venv/bin/python bench/bench_pdf_board_report.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_pdf_setup import PERIOD, ensure_data, interleaved, load_average, median, setup_django, write_result

REPEAT = 7
TARGET = 5.0


def main() -> None:
    setup_django()
    ensure_data()
    from pypdf import PdfReader

    from core.pdf import ACCESSIBLE
    from reports.documents import get_kind
    from reports.documents.board_report import gather_board_report, render_board_report

    kind = get_kind("board_report")
    params = kind.clean_parameters({"period": PERIOD})
    built = kind.build(params, lambda _p: None)
    pages = len(PdfReader(io.BytesIO(built.content)).pages)
    data = gather_board_report(period_code=PERIOD)
    load = load_average()
    runs = interleaved(
        {
            "build": lambda: kind.build(params, lambda _p: None),
            "gather": lambda: gather_board_report(period_code=PERIOD),
            "render_ua": lambda: render_board_report(data, variant=ACCESSIBLE),
        },
        REPEAT,
    )
    seconds = median(runs["build"]["cpu"])
    rate = pages / seconds
    result = {
        "period": PERIOD,
        "teams": len(data.teams),
        "pages": pages,
        "repeat": REPEAT,
        "load_average_at_start": load,
        "cpu_median_s": round(seconds, 4),
        "wall_median_s": round(median(runs["build"]["wall"]), 4),
        "pages_per_s": round(rate, 2),
        "pages_per_s_wall": round(pages / median(runs["build"]["wall"]), 2),
        "gather_cpu_median_s": round(median(runs["gather"]["cpu"]), 4),
        "render_pdf_ua_cpu_median_s": round(median(runs["render_ua"]["cpu"]), 4),
        "target_pages_per_s": TARGET,
        "met": rate >= TARGET,
    }
    write_result("bench_pdf_board_report", result)
    print(
        f"bench_pdf_board_report: {pages} pages in {seconds:.3f} s CPU (PDF/A-3a, data included) -> {rate:.1f} pages/s "
        f"(wall {result['pages_per_s_wall']:.1f}, load {load}; target >= {TARGET}, "
        f"{'met' if result['met'] else 'MISSED'}); data {result['gather_cpu_median_s']:.3f} s"
    )


if __name__ == "__main__":
    main()
