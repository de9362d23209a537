import factory
from factory.django import DjangoModelFactory

from accounts.copies import account_copies_refresh
from accounts.models import (
    Account,
    Address,
    Contact,
    Industry,
    RelationshipType,
    contact_search_words,
)
from accounts.rules import account_name_key


def relationship_type(code: str) -> RelationshipType:
    """One of the types every database has from the seed migration."""
    return RelationshipType.objects.get(code=code)


class IndustryFactory(DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"_Industry {n}")


class AccountFactory(DjangoModelFactory):
    """An account with its Visit and Mailing addresses, as the service creates it."""

    class Meta:
        model = Account
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Company {n}")
    name_key = factory.LazyAttribute(lambda o: account_name_key(o.name))
    relationship_type = factory.LazyFunction(lambda: relationship_type(RelationshipType.PROSPECT))
    industry = factory.SubFactory(IndustryFactory, name="_Manufacturing")
    email = factory.LazyAttribute(lambda o: f"info@{o.name_key.replace(' ', '')}.example")

    visit = factory.RelatedFactory(
        "tests.accounts.factories.AddressFactory",
        factory_related_name="account",
        kind=Address.Kind.VISIT,
        name="Visit",
    )
    mailing = factory.RelatedFactory(
        "tests.accounts.factories.AddressFactory",
        factory_related_name="account",
        kind=Address.Kind.MAILING,
        name="Mailing",
        street="",
        postal_code="",
        city="",
        country="",
    )

    @factory.post_generation
    def copies(obj: Account, create: bool, extracted: object, **kwargs: object) -> None:
        """The list's columns and the maps' copy, as the services keep them (after the
        addresses above)."""
        if create:
            account_copies_refresh(account_ids=[obj.pk])


def visit_update(account: Account, **fields: object) -> None:
    """Change the visit address behind the services' back, then refresh the account's copies as
    they would: for tests that set up an address the forms would refuse or take long to fill."""
    Address.objects.filter(account=account, kind=Address.Kind.VISIT).update(**fields)
    account_copies_refresh(account_ids=[account.pk])


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    kind = Address.Kind.OTHER
    name = factory.Sequence(lambda n: f"Shipping {n}")
    street = "Kastanjelaan 12"
    postal_code = "5616 LZ"
    city = "Eindhoven"
    country = "NL"

    @factory.post_generation
    def copies(obj: Address, create: bool, extracted: object, **kwargs: object) -> None:
        if create and obj.kind == Address.Kind.VISIT:
            account_copies_refresh(account_ids=[obj.account_id])


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    job_title = "Purchaser"
    email = factory.LazyAttribute(lambda o: f"{o.first_name.lower()}@example.com")
    phone = ""
    mobile = ""
    # As accounts.contact_search keeps it.
    search = factory.LazyAttribute(
        lambda o: contact_search_words(
            o.first_name, o.last_name, o.email, o.phone, o.mobile, o.account.name
        )
    )
