from django.urls import path

from bench.views import AccountPageWithoutTimelineView, FloorView
from crm.urls import urlpatterns as crm_urlpatterns

urlpatterns = [
    path("bench/floor/", FloorView.as_view(), name="bench_floor"),
    path(
        "bench/account-without-timeline/<int:pk>/",
        AccountPageWithoutTimelineView.as_view(),
        name="bench_account_without_timeline",
    ),
    *crm_urlpatterns,
]
