"""Navigation by role: settings.CENTRIC_NAVIGATION lists sections of (label, url name, permission or None).

A section shows when the user may open at least one of its pages; its pages form the second row when
the current URL is inside it. Entries whose URL is not built are skipped.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def _visible_items(user, entries) -> list[dict[str, object]]:
    items = []
    for label, url_name, permission in entries:
        if permission and not user.has_perm(permission):
            continue
        try:
            items.append({"label": label, "url": reverse(url_name), "active": False})
        except NoReverseMatch:
            continue
    return items


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": [], "nav_active_section": None}
    sections: list[dict[str, Any]] = []
    for label, entries in settings.CENTRIC_NAVIGATION:
        items = _visible_items(user, entries)
        if items:
            sections.append({"label": label, "url": items[0]["url"], "items": items, "active": False})
    # The longest URL that prefixes the current path marks the page (and so the section) you are in.
    best = max(
        ((section, item) for section in sections for item in section["items"] if request.path.startswith(item["url"])),
        key=lambda pair: len(pair[1]["url"]),
        default=None,
    )
    active = None
    if best is not None:
        active, item = best
        active["active"] = item["active"] = True
    else:
        # A page no item links to (a run, a candidate) still belongs to the section of its app's URLs.
        area = _first_segment(request.path)
        active = next((s for s in sections if area and area in {_first_segment(i["url"]) for i in s["items"]}), None)
        if active is not None:
            active["active"] = True
    return {"nav_sections": sections, "nav_active_section": active}


def _first_segment(path: str) -> str:
    return path.strip("/").split("/", 1)[0]
