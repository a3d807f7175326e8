"""`manage.py check_translations sv`: fails while the catalogue lacks a string, leaves one empty or fuzzy.

The catalogue is locale/<language>/LC_MESSAGES/django.po; the strings the sources mark now are extracted
afresh into a temporary folder, so a string added since the last `make messages` counts as missing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.catalogues import catalogue_problems, extract_messages, missing_entries


class Command(BaseCommand):
    help = "Fail on untranslated, fuzzy or missing entries of a language's catalogue (locale/<language>/)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("language", nargs="?", default="sv")

    def handle(self, *args, language: str, **options) -> None:
        catalogue = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
        if not catalogue.exists():
            raise CommandError(f"No catalogue at {catalogue}: run `make messages`.")
        with tempfile.TemporaryDirectory() as work:
            extracted = extract_messages(Path(work), language)
            problems = missing_entries(catalogue, extracted) + catalogue_problems(catalogue)
        for problem in problems[:200]:
            self.stdout.write(str(problem))
        if problems:
            counts = {kind: sum(p.kind == kind for p in problems) for kind in ("missing", "untranslated", "fuzzy")}
            summary = ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
            raise CommandError(f"{catalogue.relative_to(settings.BASE_DIR)}: {summary}.")
        self.stdout.write(f"{catalogue.relative_to(settings.BASE_DIR)}: complete.")
