"""The Swedish catalogue is complete: every string the sources mark now is in it, translated, not fuzzy."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_check_translations_passes_for_swedish():
    out = io.StringIO()
    call_command("check_translations", "sv", stdout=out)  # raises CommandError on any problem
    assert out.getvalue().strip().endswith("complete.")


def test_swedish_plurals_have_both_forms_and_swedish_plural_rule():
    with CATALOGUE.open("rb") as stream:
        catalogue = read_po(stream)
    assert catalogue.num_plurals == 2
    plurals = [message for message in catalogue if message.id and isinstance(message.id, tuple)]
    assert plurals
    for message in plurals:
        assert len(message.string) == 2 and all(message.string), message.id
