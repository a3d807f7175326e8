"""URLs of the import pages, measurements and the KPI catalogue (included in the culture namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("imports/", views.ImportBatchListView.as_view(), name="importbatch_list"),
    path("imports/new/", views.ImportUploadView.as_view(), name="import_upload"),
    path("imports/check/<str:checksum>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path("imports/check/<str:checksum>/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("measurements/", views.MeasurementListView.as_view(), name="measurement_list"),
    path("kpis/", views.KpiListView.as_view(), name="kpi_list"),
    path("kpis/new/", views.KpiCreateView.as_view(), name="kpi_create"),
    path("kpis/<slug:code>/edit/", views.KpiUpdateView.as_view(), name="kpi_update"),
]
