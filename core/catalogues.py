"""Translation catalogues: the completeness check of a language's .po, and the pseudo-locale for the page tour.

The pseudo-locale turns every msgid into a visibly marked, accented copy (`Save` -> `⟦Śàvé⟧`), keeping its
placeholders and markup, so a page rendered in it shows at a glance (and to tests/i18n/test_tour.py) which
text went through a catalogue and which never did. See docs/translation.md.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

OPEN, CLOSE = "⟦", "⟧"
PSEUDO_LANGUAGE = "qps"
# Placeholders and markup pass through untouched: %(name)s, %s, %d, %%, {name}, tags and entities.
_PROTECTED = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[^{}]*\}|<[^>]*>|&[#\w]+;"
)
_ACCENTS = str.maketrans(
    "AaCcEeIiNnOoSsUuYyZz",
    "ÀàĆćÉéÎîÑñÖöŚśÛûÝýŹź",
)


@dataclass(frozen=True)
class Problem:
    """An entry of a catalogue that a reader would not see translated."""

    msgid: str
    context: str | None
    kind: str  # "untranslated", "fuzzy" or "missing" (marked in the sources, not in the catalogue)
    locations: tuple[str, ...]

    def __str__(self) -> str:
        where = f" ({', '.join(self.locations[:3])})" if self.locations else ""
        context = f" [{self.context}]" if self.context else ""
        return f"{self.kind}: {self.msgid!r}{context}{where}"


def _read(path: Path) -> Catalog:
    # A fresh extraction for a language gettext does not know has a placeholder plural header.
    text = path.read_bytes().replace(b"nplurals=INTEGER; plural=EXPRESSION;", b"nplurals=2; plural=(n != 1);")
    return read_po(io.BytesIO(text))


def _msgid(message_id: str | list[str] | tuple[str, ...]) -> str:
    """The singular msgid of a message (a plural message's id is a pair)."""
    return message_id if isinstance(message_id, str) else message_id[0]


def catalogue_problems(path: Path) -> list[Problem]:
    """Every untranslated or fuzzy entry of a .po file (the header does not count)."""
    problems = []
    for message in _read(path):
        if not message.id:
            continue
        locations = tuple(f"{file}:{line}" for file, line in message.locations)
        msgid = _msgid(message.id)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(Problem(msgid, message.context, "fuzzy", locations))
        elif not all(strings):
            problems.append(Problem(msgid, message.context, "untranslated", locations))
    return problems


def missing_entries(catalogue: Path, extracted: Path) -> list[Problem]:
    """Strings the sources mark that the catalogue does not hold yet (run `make messages`)."""
    held = _read(catalogue)
    problems = []
    for message in _read(extracted):
        if message.id and held.get(message.id, message.context) is None:
            msgid = _msgid(message.id)
            locations = tuple(f"{file}:{line}" for file, line in message.locations)
            problems.append(Problem(msgid, message.context, "missing", locations))
    return problems


def pseudo(text: str) -> str:
    """`Save %(n)s items` -> `⟦Śàvé %(n)s îtéms⟧`: letters accented, placeholders and markup kept."""
    if not text:
        return text
    pieces, last = [], 0
    for match in _PROTECTED.finditer(text):
        pieces.append(text[last : match.start()].translate(_ACCENTS))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(text[last:].translate(_ACCENTS))
    return OPEN + "".join(pieces) + CLOSE


def pseudo_catalogue(sources: Iterable[Path]) -> Catalog:
    """One catalogue holding every msgid of the sources (ours first, then the packages'), each pseudo-translated."""
    # English plural rules (two forms): the pseudo-locale reads like English with marks on.
    catalogue = Catalog(locale="en", fuzzy=False)
    for source in sources:
        for message in _read(source):
            if not message.id or catalogue.get(message.id, message.context) is not None:
                continue
            if isinstance(message.id, str):
                string: str | tuple[str, ...] = pseudo(message.id)
            else:
                string = tuple(pseudo(part) for part in message.id)
            catalogue.add(message.id, string, context=message.context, flags=())
    return catalogue


def write_catalogue(catalogue: Catalog, directory: Path, language: str, domain: str = "django") -> Path:
    """Write `<directory>/<language>/LC_MESSAGES/<domain>.po` and its compiled .mo; returns the .mo path."""
    target = directory / language / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with (target / f"{domain}.po").open("wb") as handle:
        write_po(handle, catalogue)
    with (target / f"{domain}.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    return target / f"{domain}.mo"


# What makemessages reads: the project's code and templates, not tests, benchmarks or scripts.
SOURCE_DIRS = ("config", "core", "users", "culture", "incentives", "hiring", "reports", "demo", "templates")


def extract_messages(workdir: Path, language: str = PSEUDO_LANGUAGE) -> Path:
    """Run makemessages over the sources into `workdir` (never the repository's locale/); returns the .po.

    makemessages writes into a `locale` folder it finds under the current directory, so it runs in a
    folder of links to the sources with an empty locale/ of its own.
    """
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    base = Path(settings.BASE_DIR)
    for name in SOURCE_DIRS:
        link = workdir / name
        if not link.exists():
            link.symlink_to(base / name, target_is_directory=True)
    locale = workdir / "locale"
    locale.mkdir(exist_ok=True)
    previous = Path.cwd()
    try:
        os.chdir(workdir)
        with override_settings(LOCALE_PATHS=[locale]):
            call_command("makemessages", locale=[language], symlinks=True, no_obsolete=True, verbosity=0)
    finally:
        os.chdir(previous)
    return locale / language / "LC_MESSAGES" / "django.po"


def package_catalogues(language: str = "sv") -> list[Path]:
    """The .po files that Django and the installed packages ship for a language (their own strings)."""
    import django
    from django.apps import apps

    roots = [Path(django.__file__).parent / "conf" / "locale"]
    roots += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    found = []
    for root in roots:
        path = root / language / "LC_MESSAGES" / "django.po"
        if path.exists() and path not in found:
            found.append(path)
    return found
