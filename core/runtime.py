"""Process tuning for the long-running web and worker processes: Python's cyclic garbage collector.

A 500-team dashboard builds about 100,000 small objects. With Python's default thresholds (700, 10, 10)
the collector runs hundreds of times in such a request and, every few requests, walks every live object of
the process, Django's and the app's modules included: measured on the bench company, 100-230 ms of a
350-600 ms dashboard (bench/bench_rollups.py). Two standard remedies, applied once the application is
loaded (the gunicorn/Instagram recipe):

- `gc.freeze()` moves everything alive at start-up (modules, URL patterns, templates' code) to a generation
  the collector never walks again; those objects live as long as the process anyway.
- A larger first threshold makes the young collections rarer; garbage in cycles is still found, a little
  later. CENTRIC_GC_THRESHOLDS sets the three thresholds ("50000,20,20" by default, "" keeps Python's).
"""

from __future__ import annotations

import gc

from django.conf import settings


def gc_thresholds(text: str) -> tuple[int, ...] | None:
    """The thresholds written as "a,b,c" (None for an empty text: Python's own); refuses anything else."""
    if not text.strip():
        return None
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 3 or not all(part.isdigit() and int(part) > 0 for part in parts):
        raise ValueError(f'CENTRIC_GC_THRESHOLDS must be three positive whole numbers such as "50000,20,20": {text!r}')
    return tuple(int(part) for part in parts)


def tune_garbage_collector() -> None:
    """Set the thresholds and freeze what is alive now; call once the application is loaded."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view now, so they are frozen with the rest
    thresholds = gc_thresholds(settings.CENTRIC_GC_THRESHOLDS)
    if thresholds is not None:
        gc.set_threshold(*thresholds)
    gc.collect()
    gc.freeze()
