import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.accounts.factories import AccountFactory, ContactFactory
from tests.html import field_errors, parse
from tests.picker import account_box, picked, typed
from tests.sales.factories import CustomerFactory, SellerAccountFactory
from tests.users.factories import UserFactory
from users import forms as user_forms
from users import services
from users.models import User

pytestmark = pytest.mark.django_db

ROLE_FIXTURES = ["sales_user", "accounting_user", "management_user", "no_group_user"]
USER_ROW = re.compile(r'<tr data-user="([^"]*)"')
SIDEBAR = re.compile(r'<nav class="sidebar".*?</nav>', re.S)


@pytest.fixture
def seller():
    return SellerAccountFactory(name="Bodywork Group Elfsquad")


@pytest.fixture
def long_list(monkeypatch, seller):
    """More sellers than the page lists to click, so "Bodywork" is found by typing."""
    monkeypatch.setattr(user_forms, "LISTED_SELLERS", 1)
    return SellerAccountFactory(name="Aa First Seller")


# --- the rules -------------------------------------------------------------------------------


def test_a_new_user_has_no_crm_link():
    """A new user gets no CRM account or contact: the link is never made automatically."""
    user = UserFactory()
    assert user.crm_account is None
    assert user.crm_contact is None


def test_linking_keeps_the_users_email(admin_user, seller):
    """The contact's email never replaces the user's email, nor the other way round."""
    contact = ContactFactory(account=seller, email="pat@elfsquad.example")
    user = UserFactory(email="pat@ourcompany.example")
    services.user_set_crm_account(user=user, crm_account=seller, by=admin_user)
    services.user_set_crm_contact(user=user, crm_contact=contact, by=admin_user)
    user.refresh_from_db()
    contact.refresh_from_db()
    assert (user.crm_account, user.crm_contact) == (seller, contact)
    assert user.email == "pat@ourcompany.example"
    assert contact.email == "pat@elfsquad.example"


def test_a_contact_of_another_account_is_refused(admin_user, seller):
    """A contact must belong to the user's CRM account."""
    user = UserFactory(crm_account=seller)
    stranger = ContactFactory(account=AccountFactory(name="Other Company"))
    with pytest.raises(ValidationError) as error:
        services.user_set_crm_contact(user=user, crm_contact=stranger, by=admin_user)
    assert "not of Bodywork Group Elfsquad" in str(error.value)
    user.refresh_from_db()
    assert user.crm_contact is None


def test_a_contact_without_an_account_is_refused(admin_user, seller):
    user = UserFactory()
    with pytest.raises(ValidationError, match="Choose a CRM account"):
        services.user_set_crm_contact(
            user=user, crm_contact=ContactFactory(account=seller), by=admin_user
        )


def test_changing_the_account_clears_a_contact_of_the_old_account(admin_user, seller):
    contact = ContactFactory(account=seller)
    user = UserFactory(crm_account=seller, crm_contact=contact)
    other = SellerAccountFactory(name="Other Company")
    services.user_set_crm_account(user=user, crm_account=other, by=admin_user)
    user.refresh_from_db()
    assert (user.crm_account, user.crm_contact) == (other, None)


def test_keeping_the_account_keeps_the_contact(admin_user, seller):
    contact = ContactFactory(account=seller)
    user = UserFactory(crm_account=seller, crm_contact=contact)
    services.user_set_crm_account(user=user, crm_account=seller, by=admin_user)
    user.refresh_from_db()
    assert user.crm_contact == contact


def test_unlinking_clears_both(admin_user, seller):
    user = UserFactory(crm_account=seller, crm_contact=ContactFactory(account=seller))
    services.user_set_crm_account(user=user, crm_account=None, by=admin_user)
    user.refresh_from_db()
    assert (user.crm_account, user.crm_contact) == (None, None)


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_only_user_administrators_change_links(request, role, seller):
    by = request.getfixturevalue(role)
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_set_crm_account(user=user, crm_account=seller, by=by)
    with pytest.raises(PermissionDenied):
        services.user_set_crm_contact(user=user, crm_contact=None, by=by)
    with pytest.raises(PermissionDenied):
        services.user_set_crm_link(user=user, crm_account=seller, crm_contact=None, by=by)
    user.refresh_from_db()
    assert user.crm_account is None


def test_the_whole_link_is_set_at_once_or_refused(admin_user, seller):
    """The admin's form sets account and contact together; a stranger's contact is refused."""
    contact = ContactFactory(account=seller)
    user = UserFactory()
    services.user_set_crm_link(user=user, crm_account=seller, crm_contact=contact, by=admin_user)
    user.refresh_from_db()
    assert (user.crm_account, user.crm_contact) == (seller, contact)

    with pytest.raises(ValidationError):
        services.user_set_crm_link(
            user=user, crm_account=seller, crm_contact=ContactFactory(), by=admin_user
        )
    user.refresh_from_db()
    assert user.crm_contact == contact


# --- the users page --------------------------------------------------------------------------


@pytest.fixture
def user_viewer(db):
    """Someone given only the right to view users, in the admin."""
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    return viewer


@pytest.fixture
def user_changer(db):
    """Someone given only the right to change users: seeing them comes with it."""
    changer = UserFactory(username="changer")
    changer.user_permissions.add(Permission.objects.get(codename="change_user"))
    return changer


def user_rows(response) -> list[str]:
    return USER_ROW.findall(response.content.decode())


@pytest.mark.parametrize("role", ["admin_user", "user_viewer", "user_changer"])
def test_administrators_and_user_viewers_see_the_users_page(request, as_user, role):
    """The page lists every user: only for those allowed to view users."""
    user = request.getfixturevalue(role)
    UserFactory(username="pat")
    response = as_user(user).get(reverse("users:list"))
    assert response.status_code == 200
    assert set(user_rows(response)) == set(User.objects.values_list("username", flat=True))


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_other_roles_may_not_see_who_works_here(request, as_user, role):
    """Sales, Accounting, Management and users without a group get a 403, not the list of
    names and email addresses."""
    UserFactory(username="pat", email="pat@ourcompany.example")
    response = as_user(request.getfixturevalue(role)).get(reverse("users:list"))
    assert response.status_code == 403
    assert user_rows(response) == []
    assert "pat@ourcompany.example" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "offered"),
    [(r, False) for r in ROLE_FIXTURES]
    + [("admin_user", True), ("user_viewer", True), ("user_changer", True)],
)
def test_the_menu_offers_users_only_to_those_who_may_see_them(request, as_user, role, offered):
    html = as_user(request.getfixturevalue(role)).get(reverse("accounts:list")).content.decode()
    menu = SIDEBAR.search(html).group(0)
    assert (f'href="{reverse("users:list")}"' in menu) is offered


def test_the_list_shows_none_until_an_account_is_chosen(as_user, admin_user, seller):
    UserFactory(username="pat", email="pat@ourcompany.example")
    html = as_user(admin_user).get(reverse("users:list")).content.decode()
    assert "pat@ourcompany.example" in html
    assert ">None</a>" in html


def test_the_list_shows_the_link(as_user, admin_user, seller):
    contact = ContactFactory(account=seller, first_name="Pat", last_name="Jansen")
    UserFactory(crm_account=seller, crm_contact=contact)
    html = as_user(admin_user).get(reverse("users:list")).content.decode()
    assert "Bodywork Group Elfsquad" in html
    assert "Pat Jansen" in html


def test_a_user_viewer_sees_the_page_read_only(as_user, user_viewer, seller):
    person = UserFactory(crm_account=seller)
    html = as_user(user_viewer).get(reverse("users:list")).content.decode()
    assert reverse("users:crm_account", args=[person.pk]) not in html


@pytest.mark.parametrize("role", [*ROLE_FIXTURES, "user_viewer"])
def test_others_cannot_change_the_links(request, as_user, role, seller):
    person = UserFactory(crm_account=seller)
    client = as_user(request.getfixturevalue(role))
    assert client.get(reverse("users:crm_account", args=[person.pk])).status_code == 403
    for name, value in [("crm_account", "Other #1"), ("crm_contact", "")]:
        response = client.post(reverse(f"users:{name}", args=[person.pk]), {name: value})
        assert response.status_code == 403
    person.refresh_from_db()
    assert person.crm_account == seller


def offered_accounts(html: bytes) -> dict[str, str]:
    """The CRM accounts the page lists to click: value to label."""
    radios = parse(html).find_all("input", type="radio", name="crm_account")
    labels = {label.attrs.get("for"): label.text for label in parse(html).find_all("label")}
    return {r.attrs["value"]: labels[r.attrs["id"]] for r in radios}


def checked_account(html: bytes) -> str | None:
    checked = [
        r.attrs["value"]
        for r in parse(html).find_all("input", type="radio", name="crm_account")
        if "checked" in r.attrs
    ]
    return checked[0] if checked else None


def test_an_administrator_links_an_account_then_a_contact(as_user, admin_user, seller):
    contact = ContactFactory(account=seller, first_name="Pat", last_name="Jansen")
    ContactFactory(account=AccountFactory(), last_name="Stranger")
    person = UserFactory()
    client = as_user(admin_user)
    response = client.post(
        reverse("users:crm_account", args=[person.pk]),
        picked("crm_account", seller),
        follow=True,
    )
    assert "is now linked to Bodywork Group Elfsquad" in response.content.decode()
    page = client.get(reverse("users:crm_contact", args=[person.pk])).content.decode()
    offered = set(re.findall(r'<input type="radio" name="crm_contact" value="([^"]*)"', page))
    assert offered == {"", str(contact.pk)}
    client.post(reverse("users:crm_contact", args=[person.pk]), {"crm_contact": contact.pk})
    person.refresh_from_db()
    assert (person.crm_account, person.crm_contact) == (seller, contact)


def test_the_contact_page_refuses_a_contact_of_another_account(as_user, admin_user, seller):
    person = UserFactory(crm_account=seller)
    stranger = ContactFactory(account=AccountFactory(name="Other Company"))
    response = as_user(admin_user).post(
        reverse("users:crm_contact", args=[person.pk]), {"crm_contact": stranger.pk}
    )
    assert response.status_code == 200
    assert "is not one of Bodywork Group Elfsquad" in response.content.decode()
    person.refresh_from_db()
    assert person.crm_contact is None


def test_the_page_preselects_the_linked_account_even_beyond_the_list(
    as_user, admin_user, seller, long_list
):
    person = UserFactory(crm_account=seller)
    response = as_user(admin_user).get(reverse("users:crm_account", args=[person.pk]))
    assert offered_accounts(response.content) == {
        "": "None",
        str(long_list.pk): "Aa First Seller",
        str(seller.pk): "Bodywork Group Elfsquad",
    }
    assert checked_account(response.content) == str(seller.pk)
    assert account_box(response.content, "other_seller") == ("", "")


def test_a_seller_typed_in_full_is_linked(as_user, admin_user, seller, long_list):
    """Without picking a suggestion: the one seller of that name, not the customer of it."""
    CustomerFactory(name="Bodywork Group Elfsquad")
    person = UserFactory()
    as_user(admin_user).post(
        reverse("users:crm_account", args=[person.pk]),
        {"crm_account": "", **typed("other_seller", "bodywork group elfsquad")},
    )
    person.refresh_from_db()
    assert person.crm_account == seller


def test_an_emptied_box_leaves_the_choice_in_the_list(as_user, admin_user, seller, long_list):
    """The id the box came with stays in the hidden input when the name is removed."""
    person = UserFactory()
    as_user(admin_user).post(
        reverse("users:crm_account", args=[person.pk]),
        {"crm_account": str(long_list.pk), "other_seller": seller.pk, "other_seller_name": ""},
    )
    person.refresh_from_db()
    assert person.crm_account == long_list


def test_choosing_none_unlinks_the_user(as_user, admin_user, seller):
    person = UserFactory(crm_account=seller)
    as_user(admin_user).post(reverse("users:crm_account", args=[person.pk]), {"crm_account": ""})
    person.refresh_from_db()
    assert person.crm_account is None


def test_an_unknown_account_is_refused_and_the_text_kept(as_user, admin_user, long_list):
    person = UserFactory()
    response = as_user(admin_user).post(
        reverse("users:crm_account", args=[person.pk]),
        {"crm_account": "", **typed("other_seller", "No Such Company")},
    )
    assert field_errors(response.content, "other_seller") == (
        "Pick an account from the suggestions."
    )
    assert account_box(response.content, "other_seller") == ("No Such Company", "")
    person.refresh_from_db()
    assert person.crm_account is None


def test_the_contact_page_asks_for_an_account_first(as_user, admin_user):
    person = UserFactory()
    response = as_user(admin_user).get(reverse("users:crm_contact", args=[person.pk]))
    assert response.url == reverse("users:crm_account", args=[person.pk])


def test_saving_a_contact_after_the_account_was_unlinked_asks_for_an_account(
    as_user, admin_user, seller
):
    """The account was unlinked in another tab: saving the contact form explains, saves nothing."""
    contact = ContactFactory(account=seller)
    person = UserFactory()
    response = as_user(admin_user).post(
        reverse("users:crm_contact", args=[person.pk]), {"crm_contact": contact.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("users:crm_account", args=[person.pk])
    assert f"Choose a CRM account for {person} first." in response.content.decode()
    person.refresh_from_db()
    assert person.crm_contact is None


def test_the_users_page_has_constant_queries(as_user, admin_user, django_assert_max_num_queries):
    client = as_user(admin_user)
    for _ in range(8):
        account = AccountFactory()
        UserFactory(crm_account=account, crm_contact=ContactFactory(account=account))
    UserFactory()
    with django_assert_max_num_queries(4):
        response = client.get(reverse("users:list"))
    assert response.content.decode().count("<tr data-user") == User.objects.count()


def test_login_and_logout_keep_their_names(client):
    assert reverse("login") == "/login/"
    assert reverse("logout") == "/logout/"
    assert client.get(reverse("login")).status_code == 200


# --- only our own selling entities -----------------------------------------------------------


def test_a_user_is_linked_to_a_seller_only(admin_user, seller):
    """The linked account is the seller on the user's quotes, so it must be of type Seller."""
    customer = CustomerFactory(name="Acme Panels")
    user = UserFactory(crm_account=seller)
    with pytest.raises(ValidationError) as error:
        services.user_set_crm_account(user=user, crm_account=customer, by=admin_user)
    assert error.value.message_dict["crm_account"] == [
        "Acme Panels is a Customer, not one of our selling entities: "
        "choose an account of type Seller."
    ]
    user.refresh_from_db()
    assert user.crm_account == seller


def test_the_page_refuses_an_account_that_is_not_a_seller(as_user, admin_user, seller, long_list):
    customer = CustomerFactory(name="Acme Panels")
    person = UserFactory()
    client = as_user(admin_user)
    response = client.post(
        reverse("users:crm_account", args=[person.pk]),
        {"crm_account": "", **picked("other_seller", customer)},
    )
    assert response.status_code == 200
    assert field_errors(response.content, "other_seller") == (
        "Acme Panels is a Customer, not one of our selling entities: choose an account of type "
        "Seller."
    )
    assert account_box(response.content, "other_seller") == ("Acme Panels", str(customer.pk))
    # Sent as if it were in the list (a stale page, or a forged post): refused too.
    response = client.post(
        reverse("users:crm_account", args=[person.pk]), {"crm_account": customer.pk}
    )
    assert field_errors(response.content, "crm_account") == (
        "That account is not one of our sellers any more: choose another."
    )
    person.refresh_from_db()
    assert person.crm_account is None


def test_the_page_suggests_sellers_only(as_user, admin_user, seller, long_list):
    CustomerFactory(name="Bodywork Customer")
    person = UserFactory()
    client = as_user(admin_user)
    page = client.get(reverse("users:crm_account", args=[person.pk])).content.decode()
    url = reverse("accounts:seller_lookup")
    assert f'data-account-lookup="{url}"' in page
    data = client.get(url, {"q": "Bodyw"}).json()
    assert data == {
        "results": [{"id": seller.pk, "name": "Bodywork Group Elfsquad", "city": "Eindhoven"}]
    }


def test_a_user_who_may_not_see_accounts_looks_up_no_sellers(as_user, no_group_user, seller):
    response = as_user(no_group_user).get(reverse("accounts:seller_lookup"), {"q": "Bodyw"})
    assert response.status_code == 403


def test_the_contact_page_offers_none_to_remove_the_contact_only(as_user, admin_user, seller):
    """Choosing None removes the contact link and keeps the account."""
    contact = ContactFactory(account=seller, first_name="Pat", last_name="Jansen")
    person = UserFactory(crm_account=seller, crm_contact=contact)
    client = as_user(admin_user)
    page = client.get(reverse("users:crm_contact", args=[person.pk])).content.decode()
    assert '<input type="radio" name="crm_contact" value=""' in page
    assert "None</label>" in page
    response = client.post(
        reverse("users:crm_contact", args=[person.pk]), {"crm_contact": ""}, follow=True
    )
    assert "has no CRM contact now" in response.content.decode()
    person.refresh_from_db()
    assert (person.crm_account, person.crm_contact) == (seller, None)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["users:crm_account", "users:crm_contact"])
def test_a_user_without_the_right_is_refused_before_any_lookup(client, sales_user, name):
    """Whether a user id exists is not revealed: an unknown id is refused like a known one."""
    client.force_login(sales_user)
    assert client.get(reverse(name, args=[999999])).status_code == 403
