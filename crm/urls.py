from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from common.views import favicon, health
from users.urls import auth_urlpatterns

# Refused before the language middleware chose a language: see bad_request.
handler400 = "common.views.bad_request"

admin.site.site_header = _("CRM administration")
admin.site.site_title = _("CRM admin")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("healthz", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("", RedirectView.as_view(pattern_name="activities:my_work"), name="home"),
    path("", include(auth_urlpatterns)),
    path("", include("users.urls")),
    path("", include("accounts.urls")),
    path("", include("sales.urls")),
    path("", include("maps.urls")),
    path("", include("activities.urls")),
    path("admin/", admin.site.urls),
]
