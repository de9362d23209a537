from django.urls import path

from maps import views

app_name = "maps"

urlpatterns = [
    path("accounts/<id:pk>/map/", views.AccountMapView.as_view(), name="account_map"),
    path("map/", views.MapOverviewView.as_view(), name="overview"),
]
