"""The ASGI entry point: production settings unless told otherwise, so a forgotten variable fails loudly."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_asgi_application()

from core.runtime import tune_garbage_collector  # noqa: E402 - needs the settings loaded above

tune_garbage_collector()
