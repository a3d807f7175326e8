from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.health import HealthzView, ReadyzView
from core.views import HomeView
from users.views import set_language

# The admin has no login of its own: it sends people through allauth (rate limits, MFA).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]  # allauth's documented hook
admin.site.site_header = "Centric administration"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # Load balancer probes (core.health): public, no login, no detail beyond each check's verdict and time.
    path("healthz", HealthzView.as_view(), name="healthz"),
    path("readyz", ReadyzView.as_view(), name="readyz"),
    path("accounts/", include("users.allauth_urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("account/api-tokens/", include("users.urls")),
    path("admin/", admin.site.urls),
    path("culture/", include("culture.urls")),
    path("reports/", include("reports.urls")),
    path("exports/", include("core.urls")),
    path("incentives/", include("incentives.urls")),
    path("hiring/", include("hiring.urls")),
    path("api/v1/", include("config.api_urls")),
    path("scim/v2/", include("scim.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]

if settings.DEBUG:
    from django.contrib.admin.views.decorators import staff_member_required
    from django.urls import re_path
    from django.views.static import serve

    # Media holds pending uploads, CVs and report PDFs: every page serves them through an access-checked view,
    # so the raw folder is for developers only (staff), never for an anonymous visitor.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            staff_member_required(serve),
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
