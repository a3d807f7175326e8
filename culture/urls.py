from django.urls import include, path

from . import views

app_name = "culture"

urlpatterns = [
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/<slug:slug>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("", include("culture.imports.urls")),
]
