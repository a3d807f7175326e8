"""Typing-only bases for view mixins: mypy sees the Django view a mixin is always mixed into, Python sees object.

A mixin such as incentives' `PlanFormMixin` reads `self.request` and calls `self.form_invalid`, which the
CreateView or UpdateView beside it provides; without a base naming that view, mypy cannot know they exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.views import View
    from django.views.generic import UpdateView

    ModelFormViewBase = UpdateView[Any, Any]  # mixed into CreateView and UpdateView
    ViewBase = View
else:
    ModelFormViewBase = ViewBase = object
