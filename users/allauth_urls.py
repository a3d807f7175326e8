"""allauth URLs the company's password switch guards; included before allauth.urls, so these paths win."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("login/", views.login, name="account_login"),
    path("password/change/", views.password_change, name="account_change_password"),
    path("password/set/", views.password_set, name="account_set_password"),
    path("password/reset/", views.password_reset, name="account_reset_password"),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
]
