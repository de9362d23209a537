import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import RelationshipType
from sales.models import (
    Approval,
    Invoice,
    Order,
    OrderLine,
    PrepaymentDecision,
    Quote,
    QuoteLine,
)
from tests.accounts.factories import AccountFactory, relationship_type
from tests.users.factories import UserFactory


class SellerAccountFactory(AccountFactory):
    """One of our own selling entities."""

    name = factory.Sequence(lambda n: f"Seller {n}")
    relationship_type = factory.LazyFunction(lambda: relationship_type(RelationshipType.SELLER))


class CustomerFactory(AccountFactory):
    relationship_type = factory.LazyFunction(lambda: relationship_type(RelationshipType.CUSTOMER))


class QuoteFactory(DjangoModelFactory):
    """A quote with stored totals; add lines with QuoteLineFactory when a page shows them."""

    class Meta:
        model = Quote

    number = factory.Sequence(lambda n: f"Q-T{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    subtotal = Decimal("100.00")
    vat_amount = Decimal("21.00")
    total = Decimal("121.00")


class QuoteLineFactory(DjangoModelFactory):
    class Meta:
        model = QuoteLine

    quote = factory.SubFactory(QuoteFactory)
    description = factory.Sequence(lambda n: f"Service hour {n}")
    quantity = Decimal("1")
    unit_price = Decimal("100.00")


class OrderFactory(DjangoModelFactory):
    """An order in a given status, as if the credit check had decided it already."""

    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"O-T{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    status = Order.Status.ACCEPTED
    subtotal = factory.LazyAttribute(
        lambda o: (o.total / Decimal("1.21")).quantize(Decimal("0.01"))
    )
    vat_amount = factory.LazyAttribute(lambda o: o.total - o.subtotal)
    total = Decimal("121.00")
    credit_reason = "Accepted: the account has no credit limit."


class OrderLineFactory(DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    description = factory.Sequence(lambda n: f"Panel {n}")
    quantity = Decimal("1")
    unit_price = Decimal("100.00")


class InvoiceFactory(DjangoModelFactory):
    class Meta:
        model = Invoice

    number = factory.Sequence(lambda n: f"INV-T{n:06d}")
    order = factory.SubFactory(OrderFactory, status=Order.Status.INVOICED)
    customer = factory.SelfAttribute("order.customer")
    date = factory.LazyFunction(timezone.localdate)
    due_date = factory.LazyAttribute(lambda o: o.date + datetime.timedelta(days=30))
    amount = factory.SelfAttribute("order.total")


class ApprovalFactory(DjangoModelFactory):
    class Meta:
        model = Approval

    order = factory.SubFactory(OrderFactory)
    decision = Approval.Decision.APPROVED
    comment = "Long-standing customer, pays on time."
    decided_by = factory.SubFactory(UserFactory)


class PrepaymentDecisionFactory(DjangoModelFactory):
    class Meta:
        model = PrepaymentDecision

    order = factory.SubFactory(
        OrderFactory, prepaid=True, prepayment_confirmed_at=factory.LazyFunction(timezone.now)
    )
    decision = PrepaymentDecision.Decision.CONFIRMED
    comment = "Bank transfer received."
    decided_by = factory.SubFactory(UserFactory)
