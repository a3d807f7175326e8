"""The org's pages (included by culture/urls.py under the `culture` namespace)."""

from django.urls import path

from . import views
from .sync import views as sync_views

urlpatterns = [
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/new/", views.TeamCreateView.as_view(), name="team_create"),
    path("teams/<slug:slug>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<slug:slug>/edit/", views.TeamUpdateView.as_view(), name="team_update"),
    path("teams/<slug:slug>/lead/", views.TeamLeadView.as_view(), name="team_lead"),
    path("teams/<slug:slug>/merge/", views.TeamMergeView.as_view(), name="team_merge"),
    path("teams/<slug:slug>/close/", views.TeamCloseView.as_view(), name="team_close"),
    path("departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("departments/new/", views.DepartmentCreateView.as_view(), name="department_create"),
    path("departments/<int:pk>/edit/", views.DepartmentUpdateView.as_view(), name="department_update"),
    path("departments/<int:pk>/close/", views.DepartmentCloseView.as_view(), name="department_close"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/sync/", sync_views.PeopleSyncUploadView.as_view(), name="people_sync"),
    path("people/sync/<str:checksum>/", sync_views.PeopleSyncPreviewView.as_view(), name="people_sync_preview"),
    path(
        "people/sync/<str:checksum>/confirm/",
        sync_views.PeopleSyncConfirmView.as_view(),
        name="people_sync_confirm",
    ),
]
