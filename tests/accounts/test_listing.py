"""The account list's columns: kept in step by every writer, and rebuilt the same way."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from accounts import services
from accounts.filters import account_list_query, sort_order
from accounts.listing import LISTING_FIELDS, SEARCH_MAX_BYTES
from accounts.models import Account, Address, Contact, Industry, MapEntry, RelationshipType
from accounts.selectors import ACCOUNT_LIST_FIELDS, search_condition
from common import pagination
from common.pagination import WalkedSearch, keyset_page
from common.search import search_normalised
from tests.accounts.factories import AccountFactory, ContactFactory, IndustryFactory, visit_update
from tests.accounts.factories import relationship_type as rtype
from tests.maps.factories import located_account

pytestmark = pytest.mark.django_db


def snapshot() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in Account.objects.values_list("pk", *LISTING_FIELDS)}


def contact_words() -> dict[int, str]:
    return dict(Contact.objects.values_list("pk", "search"))


@pytest.mark.parametrize(
    ("text", "normalised"),
    [("Köln", "KOLN"), ("Düsseldorf", "DUSSELDORF"), ("Liège", "LIEGE"), ("Straße", "STRASSE")],
)
def test_search_text_drops_accents_and_case(text, normalised):
    assert search_normalised(text) == normalised


def test_the_rebuild_equals_what_the_writers_kept(admin_user, sales_user):
    """Creates, edits, address changes, type changes, renames and deletes through the services
    leave exactly the columns a full rebuild computes."""
    industry = IndustryFactory(name="_Metal")
    created = services.account_create(
        user=admin_user,
        fields={"name": "Kölner Stahl GmbH", "industry": industry, "email": "info@stahl.de"},
        visit_address={"street": "Ring 1", "city": "Köln", "country": "DE"},
        geocode=False,
    )
    edited = AccountFactory(name="Before")
    contact = services.contact_save(
        contact=Contact(account=edited),
        user=admin_user,
        fields={"first_name": "Jürgen", "last_name": "Müller"},
    )
    services.contact_save(contact=contact, user=admin_user, fields={"phone": "+49 221 1234"})
    services.account_update(
        account=edited, user=admin_user, fields={"name": "After", "crm4_id": "{AB-12}"}
    )
    visit = edited.addresses.get(kind=Address.Kind.VISIT)
    services.address_save(
        address=visit, user=admin_user, fields={"city": "Liège", "country": "BE"}, geocode=False
    )
    typed = AccountFactory(name="Typed")
    services.account_set_relationship_type(
        account=typed, relationship_type=rtype(RelationshipType.CUSTOMER), user=admin_user
    )
    renamed_type = RelationshipType.objects.get(code="partner")
    AccountFactory(name="Partnered", relationship_type=renamed_type)
    renamed_type.name = "Alliance partner"
    services.relationship_type_save(relationship_type=renamed_type, user=admin_user)
    industry.name = "_Metalworking"
    services.industry_save(industry=industry, user=admin_user)
    services.account_delete(account=AccountFactory(name="Gone"), user=admin_user)
    kept, kept_words = snapshot(), contact_words()

    call_command("rebuild_account_listing", stdout=io.StringIO())

    assert snapshot() == kept
    assert contact_words() == kept_words
    # The contact's words carry its account's name as renamed, and its number's digits.
    assert kept_words[contact.pk] == "JURGEN MULLER +49 221 1234 AFTER 2211234"
    created.refresh_from_db()
    assert (created.listing_city, created.listing_country) == ("Köln", "DE")
    assert created.listing_search == "KOLNER STAHL GMBH KOLN INFO@STAHL.DE"
    assert created.listing_industry == "_Metalworking"
    edited.refresh_from_db()
    assert "LIEGE" in edited.listing_search and "{AB-12}" in edited.listing_search
    assert Account.objects.get(name="Typed").listing_type == "Customer"
    assert Account.objects.get(name="Partnered").listing_type == "Alliance partner"


def test_the_rebuild_repairs_rows_written_around_the_services():
    account = AccountFactory(name="Acme")
    Address.objects.filter(account=account, kind=Address.Kind.VISIT).update(city="Utrecht")
    Industry.objects.filter(pk=account.industry_id).update(name="_Renamed")
    Contact.objects.filter(pk=ContactFactory(account=account, first_name="Eva").pk).update(
        search=""
    )
    out = io.StringIO()
    call_command("rebuild_account_listing", stdout=out)
    account.refresh_from_db()
    assert (account.listing_city, account.listing_industry) == ("Utrecht", "_Renamed")
    assert "1 of 1 accounts and 1 contacts were stale" in out.getvalue()
    assert Contact.objects.get(account=account).search.startswith("EVA ")


def test_the_repair_brings_the_maps_search_words_along():
    """The overview map searches its copy of the search column: a repair of one is of both."""
    account = located_account(name="Veld Bouw")
    Account.objects.filter(pk=account.pk).update(name="Lumen Lighting")
    call_command("rebuild_account_listing", stdout=io.StringIO())
    entry = MapEntry.objects.get(account_id=account.pk)
    assert entry.search.startswith("LUMEN LIGHTING") and entry.name == "Lumen Lighting"


def test_the_import_keeps_the_list_in_step(tmp_path, admin_user):
    """Rows the CSV import adds or changes are found by the list's search at once."""
    from tests.accounts.test_import_command import run, write_csv
    from tests.accounts.test_import_export import old_crm_row

    IndustryFactory(name="_Automotive")
    existing = AccountFactory(name="Old", crm4_id="X-1", email="")
    rows = [
        old_crm_row(crm4_id="X-1", name="Kölner Karosserie", visit_city="Düsseldorf"),
        old_crm_row(crm4_id="X-2", name="Liège Auto", visit_city="Liège", visit_country="BE"),
    ]
    run(write_csv(tmp_path / "in.csv", rows), "--user", admin_user.username)
    kept = snapshot()
    existing.refresh_from_db()
    assert existing.listing_search.startswith("KOLNER KAROSSERIE DUSSELDORF")
    assert existing.listing_type == "Customer"
    added = Account.objects.get(crm4_id="X-2")
    assert (added.listing_city, added.listing_country) == ("Liège", "BE")
    call_command("rebuild_account_listing", stdout=io.StringIO())
    assert snapshot() == kept


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only (PostgreSQL: trigrams)")
def test_a_search_of_the_list_tests_accounts_from_an_index_on_sqlite():
    """Without a trigram index, SQLite walks the accounts by name; the search column in that
    index spares it reading each account's row (migration 0019)."""
    AccountFactory.create_batch(3)
    query = account_list_query(QueryDict("q=nothing+like+this"))
    page = query.accounts().order_by("name", "id").values(*ACCOUNT_LIST_FIELDS)[:26]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "account_list_search_sqlite_idx" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_search_column_has_statistics_fine_enough_to_guess_a_search():
    """With the default 100 histogram entries, PostgreSQL guessed an email's 206 matches at
    10,000 and walked a million accounts by name (migration 0020)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'accounts_account'::regclass AND attname = 'listing_search'"
        )
        assert cursor.fetchone()[0] == 1000


def every_page(query_string: str, *, backwards: bool, walked: bool) -> list[list[str]]:
    """The names on each page of the list, following Next links from the first page (or
    Previous links from the last); the search walked by name, or a plain condition."""
    query = account_list_query(QueryDict(query_string))
    search = WalkedSearch(search_condition(query.text), ("listing_search",)) if walked else None
    rows, order = query.accounts(searched=search is None), sort_order(query.sort)

    def page_at(**cursor: str | bool) -> pagination.KeysetPage:
        return keyset_page(rows, order, fields=ACCOUNT_LIST_FIELDS, search=search, **cursor)

    page = page_at(last=backwards)
    pages = [[row["name"] for row in page.rows]]
    while page.has_previous if backwards else page.has_next:
        page = (
            page_at(before=page.previous_cursor) if backwards else page_at(after=page.next_cursor)
        )
        pages.append([row["name"] for row in page.rows])
    return pages


@pytest.mark.parametrize("walk", [1, 7, 30, pagination.SEARCH_WALK_ROWS])
def test_a_search_pages_alike_however_far_it_walks(monkeypatch, walk):
    """A search's page is looked for among the first accounts by name, and every match is
    sorted when those hold too few (a surname whose accounts sort near Z): the pages are the
    same either way, forwards and backwards, and skip inactive accounts."""
    monkeypatch.setattr(pagination, "SEARCH_WALK_ROWS", walk)
    names = [f"Aa{i:02} Staal" for i in range(3)] + [f"Mm{i:02} Bouw" for i in range(20)]
    names += [f"Zz{i:02} Staalbouw" for i in range(30)]
    for name in names:
        AccountFactory(name=name, email="")
    AccountFactory(name="Aa99 Staal", email="", is_active=False)
    matches = sorted(name for name in names if "Staal" in name)
    forwards = every_page("q=staal", backwards=False, walked=True)
    assert forwards == [matches[:25], matches[25:]]
    assert forwards == every_page("q=staal", backwards=False, walked=False)
    backwards = every_page("q=staal", backwards=True, walked=True)
    assert backwards == every_page("q=staal", backwards=True, walked=False)
    assert backwards[0] == matches[-25:]
    assert every_page("q=zz2+bouw", backwards=False, walked=True) == [matches[-10:]]
    assert every_page("q=nothing", backwards=False, walked=True) == [[]]


def test_a_walked_search_of_nothing_is_the_whole_list():
    AccountFactory.create_batch(3)
    rows, order = account_list_query(QueryDict("")).accounts(), sort_order("name")
    empty = WalkedSearch(Q(), ("listing_search",))
    walked = keyset_page(rows, order, fields=ACCOUNT_LIST_FIELDS, search=empty)
    assert walked == keyset_page(rows, order, fields=ACCOUNT_LIST_FIELDS)
    assert len(walked.rows) == 3


def test_the_list_walks_a_search_by_name_on_postgresql():
    """SQLite has no other way to a search's page than its own index by name (migration 0019),
    and computed both ways of the walked search's statement: 5 ms became 27 ms."""
    walked = account_list_query(QueryDict("q=staal")).walked_search()
    assert (walked is not None) == (connection.vendor == "postgresql")


@pytest.mark.parametrize(
    "query_string",
    ["q=staal&sort=city", "q=staal&country=NL", "q=staal&status=all", "q=staal&credit_hold=true"],
)
def test_a_search_narrowed_otherwise_is_a_plain_condition(query_string):
    """Only the name index of active accounts carries the search column: sorted by another
    column or filtered, the search is one more condition of the query."""
    assert account_list_query(QueryDict(query_string)).walked_search() is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_search_of_the_list_walks_the_index_that_carries_the_search_column():
    """PostgreSQL tests the first accounts by name from the index (migration 0035), without
    reading their rows, and sorts the trigram index's matches only when they hold too few."""
    AccountFactory.create_batch(3)
    query = account_list_query(QueryDict("q=nothing+like+this"))
    search = query.walked_search()
    rows = query.accounts(searched=False)
    ids = pagination._walked_search_ids(rows, search, ["name", "id"], 26)
    sql, params = rows.filter(pk__in=ids).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "account_search_walk_idx" in plan, plan


def four_byte_text(length: int) -> str:
    """Characters of CJK Extension B: four bytes each in UTF-8, kept as they are by the search
    column's normalising."""
    return "".join(chr(0x20000 + n * 7) for n in range(length))


def test_an_account_written_in_four_byte_characters_saves_and_is_found(as_user, sales_user):
    """Its name, city and email filled the search column past what PostgreSQL takes in an index
    row (2,704 bytes, migration 0035's index): the account could not be saved. The column keeps
    its first SEARCH_MAX_BYTES, so the name is still found."""
    from tests.accounts.test_views import create_data

    name, city = four_byte_text(200), four_byte_text(100)
    email = "a@" + ".".join("一二三四五" * 12 for _ in range(4)) + ".com"
    data = create_data(name=name, email=email, website="", **{"visit-city": city})
    client = as_user(sales_user)
    assert client.post(reverse("accounts:create"), data).status_code == 302
    account = Account.objects.get(name=name)
    assert len(account.listing_search.encode()) <= SEARCH_MAX_BYTES
    assert account.listing_search.startswith(search_normalised(name))
    found = client.get(reverse("accounts:list"), {"q": name[:20]})
    assert name in found.content.decode()
    call_command("rebuild_account_listing", stdout=io.StringIO())
    assert Account.objects.get(pk=account.pk).listing_search == account.listing_search


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_0035_cuts_a_search_column_too_long_for_its_index():
    """A search column written around the app past SEARCH_MAX_BYTES is cut by the migration,
    and neither it nor its old version, which a transaction older than the cut still sees,
    stops the index: PostgreSQL refused to make it in CI."""
    account = AccountFactory(name=four_byte_text(200))
    visit_update(account, city=four_byte_text(100))
    call_command("migrate", "accounts", "0034", verbosity=0)
    older = connection.copy()  # a request that began before the migration, still running
    try:
        Account.objects.filter(pk=account.pk).update(listing_search=four_byte_text(600))
        if connection.vendor == "postgresql":
            older.connect()
            with older.connection.cursor() as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT COUNT(*) FROM accounts_account")
        call_command("migrate", "accounts", "0035", verbosity=0)
        shortened = Account.objects.get(pk=account.pk).listing_search
        assert len(shortened.encode()) <= SEARCH_MAX_BYTES
        assert shortened.startswith(search_normalised(account.name))
        # Written around the app again: the index leaves it out instead of refusing it.
        Account.objects.filter(pk=account.pk).update(listing_search=four_byte_text(600))
    finally:  # the next tests need every migration, whatever happened here
        older.close()
        Account.objects.filter(pk=account.pk).delete()
        call_command("migrate", "accounts", verbosity=0)
