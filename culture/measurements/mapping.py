"""Column and value mapping of import files. Pure: stdlib only (the team names come in as a dict).

Columns are matched by name, case- and spacing-insensitively, through synonyms (Swedish and the words
survey tools use) or a saved mapping; values are mapped before the row rules see them: a team by its
name, slug or a stored alias, KPI and survey codes and channels case-insensitively ("All" -> all), numbers
and dates into the machine form of the file's locale (`filelocale`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from zoneinfo import ZoneInfo

from .cells import PLAIN_NUMBER, CellError
from .filelocale import FileLocale, normal_date, normal_number
from .rules import RowError

NUMBER_COLUMNS = frozenset(
    ("value", "numerator", "denominator", "sample_size", "sum_squares", "opening", "gained", "lost", "closing", "score")
)
CODE_COLUMNS = frozenset(("kpi", "survey"))
# Words that mean a column, beyond its own name: English variants and Swedish Excel headers.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "team": ("team_name", "team_slug", "lag", "lagnamn", "grupp", "group"),
    "kpi": ("kpi_code", "code", "nyckeltal", "kod"),
    "survey": ("survey_code", "enkät", "undersökning"),
    "date": ("day", "datum", "dag", "created_at", "recorded_date", "recordeddate"),
    "channel": ("kanal",),
    "value": ("värde", "varde"),
    "numerator": ("täljare", "taljare"),
    "denominator": ("nämnare", "namnare"),
    "sample_size": ("n", "responses", "antal_svar", "antal"),
    "sum_squares": ("sum_of_squares", "kvadratsumma"),
    "score": ("rating", "betyg", "poäng"),
    "respondent": ("respondent_id", "response_id", "responseid", "ticket_id", "svarande"),
    "opening": ("ingående",),
    "gained": ("nya", "vunna"),
    "lost": ("förlorade", "tappade"),
    "closing": ("utgående",),
}
_SEPARATORS = re.compile(r"[\s_\-]+")
_CACHE_LIMIT = 100_000  # distinct texts remembered per column (a file of random junk must not grow memory)


def header_key(name: str) -> str:
    """A header cell compared case- and spacing-insensitively: ' Team  Name' and 'team-name' match."""
    return _SEPARATORS.sub("_", name.strip().casefold()).strip("_")


def column_aliases(columns: Sequence[str], saved: Mapping[str, str] | None = None) -> dict[str, str]:
    """Header key -> column: each column's own name, its synonyms, then a saved mapping ("" = ignore)."""
    aliases = {header_key(column): column for column in columns}
    for column in columns:
        for synonym in SYNONYMS.get(column, ()):
            aliases.setdefault(header_key(synonym), column)
    for name, column in (saved or {}).items():
        if column == "" or column in columns:
            aliases[header_key(name)] = column
    return aliases


def team_lookup(teams: Iterable[tuple[str, str]], aliases: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Casefolded slug, name or alias -> slug, from (slug, name) and (alias, slug) pairs. A name two
    teams share maps to neither (the row is refused rather than given to the wrong team)."""
    lookup: dict[str, str] = {}
    shared: set[str] = set()
    pairs = list(teams)
    for slug, _name in pairs:
        lookup[slug.casefold()] = slug
    for slug, name in pairs:
        key = name.strip().casefold()
        if key in lookup and lookup[key] != slug:
            shared.add(key)
        lookup.setdefault(key, slug)
    for alias, slug in aliases:
        lookup.setdefault(alias.strip().casefold(), slug)
    for key in shared - {slug.casefold() for slug, _name in pairs}:
        del lookup[key]
    return lookup


def channel_name(text: str) -> str:
    """'All', ' E-mail ', 'Self service' -> all, e_mail, self_service (the rules check the result)."""
    return _SEPARATORS.sub("_", text.strip().casefold()).replace("e_mail", "email")


def normalized_rows(
    rows: Iterable[tuple[int, Sequence[str] | RowError]],
    *,
    columns: Sequence[str],
    locale: FileLocale,
    zone: ZoneInfo,
    teams: Mapping[str, str],
) -> Iterator[tuple[int, Sequence[str] | RowError]]:
    """Each row's cells in the machine form the row rules read; a cell that cannot be read in the file's
    locale becomes that row's error (with a hint in the file's own convention)."""
    numbers = [index for index, column in enumerate(columns) if column in NUMBER_COLUMNS]
    codes = [index for index, column in enumerate(columns) if column in CODE_COLUMNS]
    team = columns.index("team") if "team" in columns else None
    date = columns.index("date") if "date" in columns else None
    channel = columns.index("channel") if "channel" in columns else None
    plain = PLAIN_NUMBER.fullmatch
    # A file repeats its teams, days, codes and channels on every row: each distinct text is mapped once.
    days: dict[str, str | CellError] = {}
    names: dict[str, str] = {}
    words: dict[str, str] = {}
    channels: dict[str, str] = {}
    for number, cells in rows:
        if isinstance(cells, RowError):
            yield number, cells
            continue
        cells = list(cells)
        index = 0
        try:
            for index in numbers:
                text = cells[index]
                if text and not plain(text):
                    cells[index] = normal_number(text, locale)
            if date is not None and cells[date]:
                index = date
                text = cells[date]
                day = days.get(text)
                if day is None:
                    try:
                        day = normal_date(text, locale, zone)
                    except CellError as error:
                        day = error
                    if len(days) < _CACHE_LIMIT:
                        days[text] = day
                if isinstance(day, CellError):
                    raise day
                cells[date] = day
        except CellError as error:
            yield number, RowError(number, columns[index], cells[index], str(error))
            continue
        if team is not None:
            text = cells[team]
            slug = names.get(text)
            if slug is None:
                slug = teams.get(text.casefold(), text)
                if len(names) < _CACHE_LIMIT:
                    names[text] = slug
            cells[team] = slug
        for index in codes:
            text = cells[index]
            code = words.get(text)
            if code is None:
                code = text.casefold()
                if len(words) < _CACHE_LIMIT:
                    words[text] = code
            cells[index] = code
        if channel is not None and cells[channel]:
            text = cells[channel]
            name = channels.get(text)
            if name is None:
                name = channel_name(text)
                if len(channels) < _CACHE_LIMIT:
                    channels[text] = name
            cells[channel] = name
        yield number, cells
