from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from api.main import api

# A database outage raised outside a view still gets the French 503 page (ami_portal/errors.py).
handler500 = "ami_portal.errors.server_error"

admin.site.site_header = _("AMI Portal — Cnam administration")
admin.site.site_title = _("AMI Portal")
admin.site.index_title = _("Review and administration")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("compte/jetons-api/", include("api.urls_account")),
    path("compte/", include("accounts.urls")),
    path("api/v1/", api.urls),
    path("api/", include("api.urls")),
    path("communes/", include("cities.urls")),
    path("", include("applications.urls")),
    path("", include("public.urls")),
    path("", include("network.urls")),
]

if settings.DEBUG:  # pragma: no cover - convenience only
    pass
