from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("my-work/", views.MyWorkView.as_view(), name="my_work"),
    path(
        "accounts/<id:account_pk>/activities/new/",
        views.ActivitySaveView.as_view(),
        name="create",
    ),
    path("activities/<id:pk>/edit/", views.ActivitySaveView.as_view(), name="update"),
    path("activities/<id:pk>/done/", views.ActivityDoneView.as_view(), name="done"),
    path("activities/<id:pk>/reopen/", views.ActivityReopenView.as_view(), name="reopen"),
    path("activities/<id:pk>/delete/", views.ActivityDeleteView.as_view(), name="delete"),
]
