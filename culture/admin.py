"""Admin autodiscovery imports this module: each subdomain registers its models in its own admin module."""

from .measurements import admin as measurement_admin  # noqa: F401
from .org import admin as org_admin  # noqa: F401
from .pulse import admin as pulse_admin  # noqa: F401
from .recognition import admin as recognition_admin  # noqa: F401
from .scorecards import admin as scorecard_admin  # noqa: F401
