"""Filter widgets shared by every app's filtersets."""

from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget


class YesNoAnyWidget(BooleanWidget):
    """A yes/no filter whose empty choice reads "Any" rather than django-filter's "Unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
