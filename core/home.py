"""The home page's role panels: each app adds what a person should see first (headline figures, their team's
scorecard, the actions asked of them), as `core.due` gathers what they should do.

An app registers `home_panels(user)` once in its AppConfig's `ready()`; core never imports an app. A provider
answers in a fixed number of queries, however many teams, actions or stories it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HomePanel:
    """One block of the home page: a template fragment and its context, placed by `order` (smaller first)."""

    key: str  # a stable code, e.g. "culture.team": tests and the page's data attribute refer to it
    title: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    order: int = 100


Provider = Callable[[Any], Iterable[HomePanel]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Registers an app's `home_panels`; the same name again replaces it (ready() may run twice)."""
    _providers[name] = provider


def panels_for(user: Any) -> list[HomePanel]:
    """Every registered app's panels for the user, in order."""
    if not getattr(user, "is_authenticated", False):
        return []
    panels = [panel for provider in _providers.values() for panel in provider(user)]
    return sorted(panels, key=lambda panel: (panel.order, panel.key))
