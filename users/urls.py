from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("", views.ApiTokenView.as_view(), name="api_tokens"),
    path("<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api_token_revoke"),
]
