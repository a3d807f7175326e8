from django.urls import include, path

from . import views, views_periods, views_reviews, views_scorecards

app_name = "culture"

urlpatterns = [
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/<slug:slug>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    # scorecards
    path("scorecards/", views_scorecards.ScorecardHomeView.as_view(), name="scorecard_home"),
    path("scorecards/teams/", views_scorecards.ScorecardListView.as_view(), name="scorecard_list"),
    path("scorecards/teams/<slug:slug>/", views_scorecards.TeamScorecardView.as_view(), name="team_scorecard"),
    path("scorecards/teams/<slug:slug>/review/", views_reviews.ReviewEditView.as_view(), name="review_edit"),
    path(
        "scorecards/departments/<slug:slug>/",
        views_scorecards.DepartmentScorecardView.as_view(),
        name="department_scorecard",
    ),
    path("reviews/", views_reviews.ReviewStatusView.as_view(), name="review_status"),
    # periods and targets
    path("periods/", views_periods.PeriodListView.as_view(), name="period_list"),
    path("periods/<str:code>/close/", views_periods.PeriodCloseView.as_view(), name="period_close"),
    path("targets/", views_periods.TargetListView.as_view(), name="target_list"),
    path("targets/new/", views_periods.TargetFormView.as_view(), name="target_create"),
    path("targets/<int:pk>/", views_periods.TargetFormView.as_view(), name="target_update"),
    path("targets/<int:pk>/delete/", views_periods.TargetDeleteView.as_view(), name="target_delete"),
    path("targets/bulk/<slug:slug>/", views_periods.TargetBulkView.as_view(), name="target_bulk"),
    path("", include("culture.imports.urls")),
]
