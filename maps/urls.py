from django.urls import path

from maps import views

app_name = "maps"

urlpatterns = [
    path("accounts/<id:pk>/map/", views.AccountMapView.as_view(), name="account_map"),
    path(
        "accounts/<id:pk>/map/map.js",
        views.AccountMapScriptView.as_view(),
        name="account_map_script",
    ),
    path("map/", views.MapOverviewView.as_view(), name="overview"),
    path("map/map.js", views.MapOverviewScriptView.as_view(), name="overview_script"),
]
