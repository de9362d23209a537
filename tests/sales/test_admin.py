"""The admin covers quotes, orders, invoices and the approvals' history, through the services."""

import pytest
from django.urls import reverse

from sales.models import Approval, Order, Quote
from tests.sales.factories import (
    ApprovalFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    PrepaymentDecisionFactory,
    QuoteFactory,
    QuoteLineFactory,
)
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = ["quote", "order", "invoice", "approval", "prepaymentdecision"]


@pytest.fixture
def documents():
    quote = QuoteFactory()
    QuoteLineFactory(quote=quote)
    order = OrderFactory()
    OrderLineFactory(order=order)
    invoice = InvoiceFactory()
    approval = ApprovalFactory()
    prepayment = PrepaymentDecisionFactory()
    return {
        "quote": quote,
        "order": order,
        "invoice": invoice,
        "approval": approval,
        "prepaymentdecision": prepayment,
    }


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_lists_and_shows_each_kind(as_user, admin_user, documents, model):
    client = as_user(admin_user)
    assert client.get(reverse(f"admin:sales_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:sales_{model}_changelist") + "?q=a").status_code == 200
    url = reverse(f"admin:sales_{model}_change", args=[documents[model].pk])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_documents_are_not_added_or_deleted_in_the_admin(as_user, admin_user, documents, model):
    client = as_user(admin_user)
    assert client.get(reverse(f"admin:sales_{model}_add")).status_code == 403
    url = reverse(f"admin:sales_{model}_delete", args=[documents[model].pk])
    assert client.get(url).status_code == 403


def test_the_approvals_history_is_read_only(as_user, admin_user, documents):
    approval = documents["approval"]
    url = reverse("admin:sales_approval_change", args=[approval.pk])
    as_user(admin_user).post(url, {"decision": "rejected", "comment": "changed"})
    approval.refresh_from_db()
    assert (approval.decision, approval.comment) == (
        Approval.Decision.APPROVED,
        "Long-standing customer, pays on time.",
    )


def test_accounting_marks_invoices_paid_from_the_admin(as_user):
    clerk = UserFactory(groups=["Accounting"], is_staff=True)
    invoices = InvoiceFactory.create_batch(2)
    InvoiceFactory(paid_at="2026-01-01T00:00Z")
    response = as_user(clerk).post(
        reverse("admin:sales_invoice_changelist"),
        {"action": "mark_paid", "_selected_action": [i.pk for i in invoices]},
        follow=True,
    )
    assert "2 invoices marked paid." in response.content.decode()
    for invoice in invoices:
        invoice.refresh_from_db()
        assert invoice.paid_by == clerk


def test_a_staff_member_without_the_permission_cannot_mark_paid(as_user):
    staff = UserFactory(groups=["Sales"], is_staff=True)
    invoice = InvoiceFactory()
    as_user(staff).post(
        reverse("admin:sales_invoice_changelist"),
        {"action": "mark_paid", "_selected_action": [invoice.pk]},
    )
    invoice.refresh_from_db()
    assert not invoice.is_paid


def test_cancelling_from_the_admin_goes_through_the_rules(as_user, admin_user):
    open_order = OrderFactory()
    invoiced = OrderFactory(status=Order.Status.INVOICED)
    response = as_user(admin_user).post(
        reverse("admin:sales_order_changelist"),
        {"action": "cancel", "_selected_action": [open_order.pk, invoiced.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 order cancelled." in page
    assert f"Order {invoiced.number} is invoiced already, so it cannot be cancelled." in page
    open_order.refresh_from_db()
    invoiced.refresh_from_db()
    assert (open_order.status, invoiced.status) == ("cancelled", "invoiced")


def test_the_order_list_in_the_admin_has_constant_queries(
    as_user, admin_user, django_assert_max_num_queries
):
    OrderFactory.create_batch(10)
    client = as_user(admin_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:sales_order_changelist"))
    assert response.status_code == 200


def _change_form(client, quote):
    url = reverse("admin:sales_quote_change", args=[quote.pk])
    return url, client.get(url).content.decode()


@pytest.mark.parametrize("status", [Quote.Status.SENT, Quote.Status.ACCEPTED])
def test_a_sent_quote_is_read_only_in_the_admin(as_user, admin_user, status):
    """What the customer saw stays as it was: notes and validity are not edited in the admin."""
    quote = QuoteFactory(status=status, notes="As sent.", valid_until="2026-12-31")
    client = as_user(admin_user)
    url, page = _change_form(client, quote)
    assert 'name="notes"' not in page and 'name="valid_until"' not in page
    client.post(url, {"notes": "Changed later.", "valid_until": "2027-06-30"})
    quote.refresh_from_db()
    assert (quote.notes, str(quote.valid_until)) == ("As sent.", "2026-12-31")


def test_a_draft_quotes_notes_are_edited_in_the_admin(as_user, admin_user):
    quote = QuoteFactory(notes="Draft.")
    client = as_user(admin_user)
    url, page = _change_form(client, quote)
    assert 'name="notes"' in page
    response = client.post(
        url,
        {
            "notes": "Call first.",
            "valid_until": "2027-01-31",
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.notes == "Call first."


# --- a save the service refuses ---------------------------------------------------------------


@pytest.fixture
def changed_meanwhile(monkeypatch):
    """Make someone else change the row right after the admin read it for the form's save."""

    def install(model_admin_class, change):
        real = model_admin_class.get_object

        def get_object(self, request, object_id, from_field=None):
            obj = real(self, request, object_id, from_field)
            if request.method == "POST":
                change(obj)
            return obj

        monkeypatch.setattr(model_admin_class, "get_object", get_object)

    return install


def test_a_quote_sent_while_its_admin_form_was_open_is_refused_on_the_form(
    as_user, admin_user, changed_meanwhile
):
    from sales.admin import QuoteAdmin

    quote = QuoteFactory(notes="Draft.")
    changed_meanwhile(
        QuoteAdmin, lambda q: Quote.objects.filter(pk=q.pk).update(status=Quote.Status.SENT)
    )
    response = as_user(admin_user).post(
        reverse("admin:sales_quote_change", args=[quote.pk]),
        {
            "notes": "Call first.",
            "valid_until": "",
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == [
        f"Only a draft quote can be changed: {quote.number} is sent."
    ]
    assert form["notes"].value() == "Call first."
    assert not [m for m in response.context["messages"] if m.level_tag == "success"]
    quote.refresh_from_db()
    assert quote.notes == "Draft."


def test_an_order_edited_in_the_admin_keeps_a_status_changed_meanwhile(
    as_user, admin_user, changed_meanwhile
):
    """Only the purchase order number and notes are written: a cancellation is not undone."""
    from sales.admin import OrderAdmin

    order = OrderFactory(customer_reference="PO-1")
    changed_meanwhile(
        OrderAdmin,
        lambda o: Order.objects.filter(pk=o.pk).update(status=Order.Status.CANCELLED),
    )
    response = as_user(admin_user).post(
        reverse("admin:sales_order_change", args=[order.pk]),
        {
            "customer_reference": "PO-2",
            "notes": "Deliver at the back.",
            **{
                f"{prefix}-{name}": "0"
                for prefix in ("lines", "approvals", "prepayment_decisions")
                for name in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.customer_reference, order.notes) == (
        Order.Status.CANCELLED,
        "PO-2",
        "Deliver at the back.",
    )


def test_an_order_reference_too_long_is_refused_on_the_form(as_user, admin_user):
    order = OrderFactory(customer_reference="PO-1")
    response = as_user(admin_user).post(
        reverse("admin:sales_order_change", args=[order.pk]),
        {"customer_reference": "P" * 51, "notes": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["customer_reference"]
    order.refresh_from_db()
    assert order.customer_reference == "PO-1"
