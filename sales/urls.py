from django.urls import path

from sales import views

app_name = "sales"

urlpatterns = [
    path("quotes/", views.QuoteListView.as_view(), name="quote_list"),
    path("quotes/new/", views.QuoteCreateView.as_view(), name="quote_create"),
    path("quotes/<id:pk>/", views.QuoteDetailView.as_view(), name="quote_detail"),
    path("quotes/<id:pk>/edit/", views.QuoteUpdateView.as_view(), name="quote_update"),
    path("quotes/<id:pk>/status/", views.QuoteStatusView.as_view(), name="quote_status"),
    path("quotes/<id:pk>/order/", views.QuoteConvertView.as_view(), name="quote_convert"),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/new/", views.OrderCreateView.as_view(), name="order_create"),
    path("orders/<id:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<id:pk>/cancel/", views.OrderCancelView.as_view(), name="order_cancel"),
    path("orders/<id:pk>/recheck/", views.OrderRecheckView.as_view(), name="order_recheck"),
    path("orders/<id:pk>/decide/", views.OrderDecideView.as_view(), name="order_decide"),
    path(
        "orders/<id:pk>/prepayment/",
        views.OrderPrepaymentView.as_view(),
        name="order_prepayment",
    ),
    path("orders/<id:pk>/invoice/", views.OrderInvoiceView.as_view(), name="order_invoice"),
    path("approvals/", views.ApprovalListView.as_view(), name="approval_list"),
    path("invoices/", views.InvoiceListView.as_view(), name="invoice_list"),
    path("invoices/<id:pk>/", views.InvoiceDetailView.as_view(), name="invoice_detail"),
    path("invoices/<id:pk>/paid/", views.InvoicePaidView.as_view(), name="invoice_paid"),
    path(
        "sales/accounts/<id:pk>/choices/",
        views.AccountChoicesView.as_view(),
        name="account_choices",
    ),
]
