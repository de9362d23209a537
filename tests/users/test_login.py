import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from tests.users.factories import UserFactory
from users.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.mark.parametrize("login", ["sales", "SALES", "sales@example.com", "Sales@Example.com"])
def test_people_log_in_with_username_or_email(client, login):
    """Either spelling works, whatever the case."""
    UserFactory(username="sales", email="sales@example.com")
    response = client.post(reverse("login"), {"username": login, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("activities:my_work")


def test_a_wrong_password_is_explained_and_keeps_the_login(client):
    UserFactory(username="sales")
    response = client.post(reverse("login"), {"username": "sales", "password": "wrong"})
    assert response.status_code == 200
    form = response.context["form"]
    assert any("do not match" in error for error in form.non_field_errors())
    assert form["username"].value() == "sales"
    assert "_auth_user_id" not in client.session


def test_an_inactive_user_cannot_log_in(client):
    UserFactory(username="gone", is_active=False)
    response = client.post(reverse("login"), {"username": "gone", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_two_users_cannot_share_an_email_address():
    UserFactory(username="a", email="same@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="b", email="SAME@example.com")


def test_many_users_may_have_no_email():
    """The unique email rule leaves out the empty address: both users are saved."""
    UserFactory(username="a", email="")
    UserFactory(username="b", email="")
    assert sorted(User.objects.filter(email="").values_list("username", flat=True)) == ["a", "b"]


def test_logout_is_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:list")).status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_lock_out_is_per_login_not_per_office(client):
    """Failures for one user do not lock out a colleague behind the same address."""
    UserFactory(username="sales")
    UserFactory(username="colleague")
    for _ in range(3):
        client.post(reverse("login"), {"username": "sales", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "colleague", "password": PASSWORD})
    assert response.status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_out_both_spellings(client):
    """Email and username share one failure counter, so the lock-out cannot be walked around."""
    UserFactory(username="sales", email="sales@example.com")
    for login in ["sales", "sales@example.com"]:
        client.post(reverse("login"), {"username": login, "password": "wrong"})
    response = client.post(reverse("login"), {"username": "SALES", "password": "wrong"})
    assert response.status_code == 429
    response = client.post(reverse("login"), {"username": "sales", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
