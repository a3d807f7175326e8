from django.urls import path

from .measurements import views as measurement_views
from .org.urls import urlpatterns as org_urls
from .pulse.urls import urlpatterns as pulse_urls
from .recognition import views as recognition_views
from .scorecards.views import closing, periods, reviews, scorecards

app_name = "culture"

urlpatterns = [
    *org_urls,
    *pulse_urls,
    # scorecards
    path("scorecards/", scorecards.ScorecardHomeView.as_view(), name="scorecard_home"),
    path("scorecards/teams/", scorecards.ScorecardListView.as_view(), name="scorecard_list"),
    path("scorecards/teams/<slug:slug>/", scorecards.TeamScorecardView.as_view(), name="team_scorecard"),
    path("scorecards/teams/<slug:slug>/review/", reviews.ReviewEditView.as_view(), name="review_edit"),
    path(
        "scorecards/departments/<slug:slug>/",
        scorecards.DepartmentScorecardView.as_view(),
        name="department_scorecard",
    ),
    path("reviews/", reviews.ReviewStatusView.as_view(), name="review_status"),
    path("actions/<int:pk>/", reviews.ReviewActionDetailView.as_view(), name="action_detail"),
    # recognition
    path("recognition/", recognition_views.RecognitionListView.as_view(), name="recognition_list"),
    path("recognition/new/", recognition_views.RecognitionCreateView.as_view(), name="recognition_create"),
    path("recognition/<int:pk>/pick/", recognition_views.RecognitionPickView.as_view(), name="recognition_pick"),
    # periods and targets
    path("periods/", periods.PeriodListView.as_view(), name="period_list"),
    path("periods/<str:code>/close/", closing.PeriodCloseView.as_view(), name="period_close"),
    path("periods/<str:code>/reopen/", closing.PeriodReopenView.as_view(), name="period_reopen"),
    path("targets/", periods.TargetListView.as_view(), name="target_list"),
    path("targets/new/", periods.TargetFormView.as_view(), name="target_create"),
    path("targets/<int:pk>/", periods.TargetFormView.as_view(), name="target_update"),
    path("targets/<int:pk>/delete/", periods.TargetDeleteView.as_view(), name="target_delete"),
    path("targets/bulk/", periods.TargetBulkView.as_view(), name="target_bulk_company"),
    path("targets/bulk/<slug:slug>/", periods.TargetBulkView.as_view(), name="target_bulk"),
    path("targets/copy/", periods.TargetCopyView.as_view(), name="target_copy"),
    path("targets/<int:pk>/phase/", periods.TargetPhaseView.as_view(), name="target_phase"),
    # imports, measurements and the KPI catalogue
    path("imports/", measurement_views.ImportBatchListView.as_view(), name="importbatch_list"),
    path("imports/new/", measurement_views.ImportUploadView.as_view(), name="import_upload"),
    path(
        "imports/template/<str:kind>.<str:file_format>",
        measurement_views.ImportTemplateView.as_view(),
        name="import_template",
    ),
    path("imports/check/<str:checksum>/", measurement_views.ImportPreviewView.as_view(), name="import_preview"),
    path("imports/check/<str:checksum>/job/", measurement_views.ImportJobView.as_view(), name="import_job"),
    path(
        "imports/check/<str:checksum>/job/<str:mode>.json",
        measurement_views.ImportJobStatusView.as_view(),
        name="import_job_status",
    ),
    path(
        "imports/check/<str:checksum>/options/",
        measurement_views.ImportOptionsView.as_view(),
        name="import_options",
    ),
    path(
        "imports/check/<str:checksum>/confirm/",
        measurement_views.ImportConfirmView.as_view(),
        name="import_confirm",
    ),
    path("measurements/", measurement_views.MeasurementListView.as_view(), name="measurement_list"),
    path("kpis/", measurement_views.KpiListView.as_view(), name="kpi_list"),
    path("kpis/new/", measurement_views.KpiCreateView.as_view(), name="kpi_create"),
    path("kpis/<slug:code>/", measurement_views.KpiDetailView.as_view(), name="kpi_detail"),
    path("kpis/<slug:code>/edit/", measurement_views.KpiUpdateView.as_view(), name="kpi_update"),
]
