"""The shared REST API base: every viewset's rows pass through the model's `visible_to(user)`."""

from __future__ import annotations

from .views import ScopedQuerysetMixin


class ScopedViewSetMixin(ScopedQuerysetMixin):
    """Put before a DRF GenericViewSet / ReadOnlyModelViewSet; declare `queryset`, narrow in `refine_queryset`.

    The scoping is the page bases' own (ScopedQuerysetMixin): list, retrieve and every detail action go
    through `get_queryset()`, and DRF's `get_object()` looks the pk up in it, so another team's id is a 404.
    A viewset over data every user may read says `scoping = "none: <reason>"` instead."""
