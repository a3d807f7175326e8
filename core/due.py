"""What is due for a person, gathered from every app: the home page lists it, most urgent first.

Each app answers `due_for(user)` with its own items and registers that function once (in its AppConfig's
`ready()`), so core never imports an app. A provider must answer in a fixed number of queries, however many
items it returns: the home page's query count must not grow with the work waiting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class DueItem:
    """One thing a person should do, with the page that does it."""

    kind: str  # a stable code, e.g. "culture.review": tests and notifications refer to it
    title: str  # what to do, in the reader's language
    url: str
    section: str  # the app area, in the reader's language, e.g. "Culture"
    due_on: dt.date | None = None  # None: no deadline, listed after those that have one

    def is_overdue(self, today: dt.date) -> bool:
        return self.due_on is not None and self.due_on < today


Provider = Callable[[Any], Iterable[DueItem]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Registers an app's `due_for`; registering the same name again replaces it (ready() may run twice)."""
    _providers[name] = provider


def registered() -> dict[str, Provider]:
    return dict(_providers)


def due_for(user: Any) -> list[DueItem]:
    """Everything due for the user from every registered app: dated items first, earliest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = [item for provider in _providers.values() for item in provider(user)]
    return sorted(items, key=lambda item: (item.due_on is None, item.due_on or dt.date.max, item.section, item.title))


def split_overdue(items: Iterable[DueItem], today: dt.date | None = None) -> tuple[list[DueItem], list[DueItem]]:
    """(overdue, the rest), each in the given order."""
    today = today or timezone.localdate()
    overdue: list[DueItem] = []
    rest: list[DueItem] = []
    for item in items:
        (overdue if item.is_overdue(today) else rest).append(item)
    return overdue, rest
