"""/scim/v2/: the SCIM 2.0 endpoints (RFC 7644 section 3.2)."""

from django.urls import path, re_path

from . import views

app_name = "scim"

urlpatterns = [
    path("Users", views.UserListView.as_view(), name="user_list"),
    path("Users/<str:pk>", views.UserDetailView.as_view(), name="user_detail"),
    path("Groups", views.GroupListView.as_view(), name="group_list"),
    path("Groups/<str:pk>", views.GroupDetailView.as_view(), name="group_detail"),
    path("ServiceProviderConfig", views.ServiceProviderConfigView.as_view(), name="service_provider_config"),
    path("ResourceTypes", views.ResourceTypeView.as_view(), name="resource_types"),
    path("ResourceTypes/<str:name>", views.ResourceTypeView.as_view(), name="resource_type"),
    path("Schemas", views.SchemaView.as_view(), name="schemas"),
    path("Schemas/<str:urn>", views.SchemaView.as_view(), name="schema"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not_found"),
]
