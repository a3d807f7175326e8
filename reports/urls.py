from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.GeneratedReportListView.as_view(), name="report_list"),
    path("request/", views.ReportRequestView.as_view(), name="report_request"),
    path("<int:pk>/", views.GeneratedReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/status.json", views.GeneratedReportStatusView.as_view(), name="report_status"),
    path("<int:pk>/download/", views.GeneratedReportDownloadView.as_view(), name="report_download"),
    path("<int:pk>/retry/", views.GeneratedReportRetryView.as_view(), name="report_retry"),
    path("verify/", views.VerifyReportView.as_view(), name="verify"),
    path("value-model/", views.ValueModelListView.as_view(), name="valuemodel_list"),
    path("value-model/edit/", views.ValueModelEditView.as_view(), name="valuemodel_edit"),
]
