from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.i18n import JavaScriptCatalog

from maps import views

app_name = "maps"

urlpatterns = [
    path("accounts/<id:pk>/map/", views.AccountMapView.as_view(), name="account_map"),
    path("map/", views.MapOverviewView.as_view(), name="overview"),
    # The texts static/maps/map.js writes (popups, cluster names), translated like the pages.
    path(
        "map/jsi18n/",
        login_required(JavaScriptCatalog.as_view(packages=["maps"])),
        name="jsi18n",
    ),
]
