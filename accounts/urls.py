from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/", views.AccountListView.as_view(), name="list"),
    path("accounts/new/", views.AccountCreateView.as_view(), name="create"),
    path("accounts/lookup/", views.AccountLookupView.as_view(), name="lookup"),
    path(
        "accounts/lookup/sellers/",
        views.AccountLookupView.as_view(sellers_only=True),
        name="seller_lookup",
    ),
    path("accounts/<id:pk>/", views.AccountDetailView.as_view(), name="detail"),
    path("accounts/<id:pk>/edit/", views.AccountUpdateView.as_view(), name="update"),
    path("accounts/<id:pk>/delete/", views.AccountDeleteView.as_view(), name="delete"),
    path(
        "accounts/<id:pk>/credit-hold/",
        views.AccountCreditHoldView.as_view(),
        name="credit_hold",
    ),
    path("accounts/<id:pk>/owner/", views.AccountOwnerView.as_view(), name="owner"),
    path("accounts/<id:pk>/active/", views.AccountActiveView.as_view(), name="active"),
    path(
        "accounts/<id:pk>/copy-visit-to-mailing/",
        views.AccountCopyVisitToMailingView.as_view(),
        name="copy_visit_to_mailing",
    ),
    path(
        "accounts/<id:account_pk>/addresses/new/",
        views.AddressSaveView.as_view(),
        name="address_create",
    ),
    path("addresses/<id:pk>/edit/", views.AddressSaveView.as_view(), name="address_update"),
    path("addresses/<id:pk>/delete/", views.AddressDeleteView.as_view(), name="address_delete"),
    path(
        "accounts/<id:account_pk>/contacts/new/",
        views.ContactSaveView.as_view(),
        name="contact_create",
    ),
    path("contacts/", views.ContactListView.as_view(), name="contact_list"),
    path("contacts/<id:pk>/primary/", views.ContactPrimaryView.as_view(), name="contact_primary"),
    path("contacts/<id:pk>/edit/", views.ContactSaveView.as_view(), name="contact_update"),
    path("contacts/<id:pk>/delete/", views.ContactDeleteView.as_view(), name="contact_delete"),
]
