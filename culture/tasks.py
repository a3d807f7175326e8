"""Celery tasks of the culture app (found by autodiscovery): the import jobs live with the imports."""

from .measurements.tasks import run_import_job

__all__ = ["run_import_job"]
