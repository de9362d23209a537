"""The language of the pages: the user's own choice, else what the browser asks for."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.html import parse
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

DUTCH = {"HTTP_ACCEPT_LANGUAGE": "nl-NL,nl;q=0.9"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_without_a_choice_the_browser_language_is_used(client):
    user = UserFactory(language="")
    client.force_login(user)
    assert client.get(reverse("accounts:list"), **DUTCH)["Content-Language"] == "nl"
    assert client.get(reverse("accounts:list"), **ENGLISH)["Content-Language"] == "en-gb"


def test_the_users_choice_wins_over_the_browser(client):
    client.force_login(UserFactory(language="en-gb"))
    response = client.get(reverse("accounts:list"), **DUTCH)
    assert response["Content-Language"] == "en-gb"

    client.force_login(UserFactory(language="nl"))
    assert client.get(reverse("accounts:list"), **ENGLISH)["Content-Language"] == "nl"


@pytest.mark.parametrize(("stored", "served"), [("en", "en-gb"), ("nl-be", "nl"), ("de", "nl")])
def test_a_stored_language_is_served_as_the_nearest_offered_one(client, stored, served):
    """A language kept before the site offered "en-gb" (or set by hand) is not activated as is:
    the pages then offered both languages in the switcher and followed no offered format. One
    the site does not speak at all leaves the browser's."""
    client.force_login(UserFactory(language=stored))
    response = client.get(reverse("accounts:list"), **DUTCH)
    assert response["Content-Language"] == served
    switcher = parse(response.content).find("form", class_="language-switcher")
    assert len(switcher.find_all("button")) == 1


def test_the_switcher_keeps_a_signed_in_users_choice_on_the_user(client):
    user = UserFactory(language="")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/accounts/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    user.refresh_from_db()
    assert user.language == "nl"
    # A fresh browser (no cookie) that asks for English still gets the user's Dutch.
    client.cookies.clear()
    client.force_login(user)
    assert client.get(reverse("accounts:list"), **ENGLISH)["Content-Language"] == "nl"


def test_the_switcher_works_before_logging_in(client):
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/login/"})
    assert response.status_code == 302
    page = client.get(reverse("login"), **ENGLISH)
    assert page["Content-Language"] == "nl"
    assert parse(page.content).find("h1").text == "Inloggen bij het CRM"


def test_a_language_not_offered_changes_nothing(client):
    user = UserFactory(language="nl")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/accounts/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "nl"


def test_the_switcher_needs_a_post_with_csrf(client):
    assert client.get(reverse("set_language")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("set_language"), {"language": "nl"}).status_code == 403


def test_after_logging_out_the_login_page_keeps_the_users_language(client):
    client.force_login(UserFactory(language="nl"))
    client.get(reverse("accounts:list"), **ENGLISH)
    client.post(reverse("logout"))
    page = client.get(reverse("login"), **ENGLISH)
    assert page["Content-Language"] == "nl"


def test_a_refused_login_says_so_in_dutch(client):
    UserFactory(username="eva", language="nl")
    response = client.post(reverse("login"), {"username": "eva", "password": "wrong"}, **DUTCH)
    assert response.status_code == 200
    errors = parse(response.content).find(class_="form-errors").text
    assert "That email" not in errors and "wachtwoord" in errors
