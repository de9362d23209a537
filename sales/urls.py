from django.urls import path

from sales import views

app_name = "sales"

urlpatterns = [
    path("quotes/", views.QuoteListView.as_view(), name="quote_list"),
    path("quotes/new/", views.QuoteCreateView.as_view(), name="quote_create"),
    path("quotes/<int:pk>/", views.QuoteDetailView.as_view(), name="quote_detail"),
    path("quotes/<int:pk>/edit/", views.QuoteUpdateView.as_view(), name="quote_update"),
    path("quotes/<int:pk>/status/", views.QuoteStatusView.as_view(), name="quote_status"),
    path("quotes/<int:pk>/order/", views.QuoteConvertView.as_view(), name="quote_convert"),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/new/", views.OrderCreateView.as_view(), name="order_create"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/cancel/", views.OrderCancelView.as_view(), name="order_cancel"),
    path("orders/<int:pk>/recheck/", views.OrderRecheckView.as_view(), name="order_recheck"),
    path("orders/<int:pk>/decide/", views.OrderDecideView.as_view(), name="order_decide"),
    path(
        "orders/<int:pk>/prepayment/",
        views.OrderPrepaymentView.as_view(),
        name="order_prepayment",
    ),
    path("orders/<int:pk>/invoice/", views.OrderInvoiceView.as_view(), name="order_invoice"),
    path("approvals/", views.ApprovalListView.as_view(), name="approval_list"),
    path("invoices/", views.InvoiceListView.as_view(), name="invoice_list"),
    path("invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice_detail"),
    path("invoices/<int:pk>/paid/", views.InvoicePaidView.as_view(), name="invoice_paid"),
    path(
        "sales/accounts/<int:pk>/choices/",
        views.AccountChoicesView.as_view(),
        name="account_choices",
    ),
]
