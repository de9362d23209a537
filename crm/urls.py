from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from common.views import health
from users.urls import auth_urlpatterns

admin.site.site_header = "CRM administration"
admin.site.site_title = "CRM admin"

urlpatterns = [
    path("healthz", health, name="health"),
    path("", RedirectView.as_view(pattern_name="accounts:list"), name="home"),
    path("", include(auth_urlpatterns)),
    path("", include("users.urls")),
    path("", include("accounts.urls")),
    path("", include("sales.urls")),
    path("", include("maps.urls")),
    path("admin/", admin.site.urls),
]
