"""Pulse pages (included by culture/urls.py under the `culture` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("pulses/", views.PulseListView.as_view(), name="pulse_list"),
    path("pulses/new/", views.PulseCreateView.as_view(), name="pulse_create"),
    path("pulses/results/", views.PulseResultsView.as_view(), name="pulse_results"),
    path("pulses/<int:pk>/", views.PulseDetailView.as_view(), name="pulse_detail"),
    path("pulses/answer/<str:token>/", views.PulseAnswerView.as_view(), name="pulse_answer"),
    path("pulses/library/", views.PulseLibraryListView.as_view(), name="pulse_library"),
    path("pulses/library/<int:pk>/", views.PulseLibraryDetailView.as_view(), name="pulse_library_detail"),
    path("pulses/library/<int:pk>/edit/", views.PulseLibraryEditView.as_view(), name="pulse_library_edit"),
    path("pulses/library/<int:pk>/new-draft/", views.PulseLibraryCopyView.as_view(), name="pulse_library_copy"),
    path("pulses/library/<int:pk>/publish/", views.PulseLibraryPublishView.as_view(), name="pulse_library_publish"),
]
