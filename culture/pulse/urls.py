"""Pulse pages (included by culture/urls.py under the `culture` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("pulses/", views.PulseListView.as_view(), name="pulse_list"),
    path("pulses/new/", views.PulseCreateView.as_view(), name="pulse_create"),
    path("pulses/results/", views.PulseResultsView.as_view(), name="pulse_results"),
    path("pulses/<int:pk>/", views.PulseDetailView.as_view(), name="pulse_detail"),
    path("pulses/answer/<str:token>/", views.PulseAnswerView.as_view(), name="pulse_answer"),
]
