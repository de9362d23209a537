import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from activities.models import Activity
from tests.accounts.factories import AccountFactory
from tests.users.factories import UserFactory


class ActivityFactory(DjangoModelFactory):
    """A note written a little while ago; for a task, pass kind=Activity.Kind.TASK and a due
    time (it gets an assignee and stays open)."""

    class Meta:
        model = Activity

    account = factory.SubFactory(AccountFactory)
    kind = Activity.Kind.NOTE
    subject = factory.Sequence(lambda n: f"Spoke about order {n}")
    body = "Wants a quote for 40 panels.\nCall back Tuesday."
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    created_by = factory.SubFactory(UserFactory)
    # What had happened was written then, and done as it was written (as the service does).
    created_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.kind == Activity.Kind.TASK else o.occurred_at
    )
    assigned_to = factory.LazyAttribute(
        lambda o: o.created_by if o.kind == Activity.Kind.TASK else None
    )
    done_at = factory.LazyAttribute(
        lambda o: None if o.kind == Activity.Kind.TASK else o.created_at
    )
    done_by = factory.LazyAttribute(lambda o: o.created_by if o.done_at else None)
