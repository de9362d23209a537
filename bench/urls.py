from django.urls import path

from bench.views import FloorView
from crm.urls import urlpatterns as crm_urlpatterns

urlpatterns = [path("bench/floor/", FloorView.as_view(), name="bench_floor"), *crm_urlpatterns]
