"""The org's pages (included by culture/urls.py under the `culture` namespace)."""

from django.urls import path

from . import views
from .sync import views as sync_views

urlpatterns = [
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/<slug:slug>/", views.TeamDetailView.as_view(), name="team_detail"),
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
