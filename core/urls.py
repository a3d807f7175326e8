"""Routes of the shared pieces: the pages of XLSX export jobs (core.export_jobs)."""

from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("<str:job_id>/", views.ExportJobView.as_view(), name="export_job"),
    path("<str:job_id>/download/", views.ExportDownloadView.as_view(), name="export_download"),
]
